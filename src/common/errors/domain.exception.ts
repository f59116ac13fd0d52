/** HTTP meaning of a domain failure; the exception filter is the only place that maps it. */
export type DomainErrorKind =
  'invalid' | 'not_found' | 'conflict' | 'unprocessable' | 'unavailable' | 'unauthorized' | 'forbidden';

export interface FieldError {
  field: string;
  messages: string[];
}

export class DomainException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'unprocessable',
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundDomainException extends DomainException {
  constructor(code: string, message: string) {
    super(code, message, 'not_found');
  }
}

export class ConflictDomainException extends DomainException {
  constructor(code: string, message: string) {
    super(code, message, 'conflict');
  }
}

export class InvalidInputException extends DomainException {
  constructor(code: string, message: string, fields: FieldError[] = []) {
    super(code, message, 'invalid', fields);
  }
}
