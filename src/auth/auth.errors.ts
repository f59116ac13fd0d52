import { DomainException, NotFoundDomainException } from '../common/errors/domain.exception';

export class UnauthenticatedException extends DomainException {
  constructor(message = 'Sign in first (or send an API token).') {
    super('UNAUTHENTICATED', message, 'unauthorized');
  }
}

export class ForbiddenException extends DomainException {
  constructor(message = 'Your account may not do this.') {
    super('FORBIDDEN', message, 'forbidden');
  }
}

export class CsrfRejectedException extends DomainException {
  constructor() {
    super(
      'CSRF_REJECTED',
      'The form or request is missing its CSRF token; reload the page and try again.',
      'forbidden',
    );
  }
}

export class CrossSiteSignInException extends DomainException {
  constructor() {
    super(
      'SIGN_IN_REJECTED',
      'The sign-in came from another site or an expired form; open the sign-in page and try again.',
      'forbidden',
    );
  }
}

export class ErpCredentialRejectedException extends DomainException {
  constructor(problem: string) {
    super('ERP_SIGNATURE_REJECTED', `ERP webhook rejected: ${problem}`, 'unauthorized');
  }
}

export class UserNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('USER_NOT_FOUND', `no user ${id}`);
  }
}

export class CredentialNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('CREDENTIAL_NOT_FOUND', `no credential ${id}`);
  }
}
