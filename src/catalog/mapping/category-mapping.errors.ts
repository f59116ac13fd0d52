import {
  ConflictDomainException,
  FieldError,
  InvalidInputException,
  NotFoundDomainException,
} from '@app/common/errors/domain.exception';

export class CategoryTreeMissingException extends ConflictDomainException {
  constructor() {
    super(
      'category_tree_missing',
      'no Kuaishou category tree read for this merchant yet: connect a Kuaishou shop and refresh its tree',
    );
  }
}

export class InvalidMappingException extends InvalidInputException {
  constructor(fields: FieldError[]) {
    super('invalid_category_mapping', 'the category mapping is not valid; nothing was changed', fields);
  }
}

export class MappingNotFoundException extends NotFoundDomainException {
  constructor(message: string) {
    super('category_mapping_not_found', message);
  }
}
