import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, InvalidInputException } from '../errors/domain.exception';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Whitelisting pipe whose 400 lists every bad field with its messages. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidInputException('VALIDATION_FAILED', 'The request has invalid fields.', flattenValidationErrors(errors)),
  });
}
