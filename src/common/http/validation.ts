import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateIf, ValidationOptions } from 'class-validator';
import { FieldError, InvalidInputException } from '../errors/domain.exception';
import { assertBodyShape, assertPlainInput } from './body-parsing';

/** Like `@IsOptional()` but only for an absent field: `null` is validated (and refused) like any other value. */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/** A non-empty string of at most `max` characters (names, addresses, carriers). */
export const IsText = (max: number): PropertyDecorator => applyDecorators(IsString(), MinLength(1), MaxLength(max));

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object, Buffer];

/** Also refuses a body that is not a JSON object or is nested too deep, before class-transformer walks it. */
class BodyValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly maxDepth: number,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && !PRIMITIVES.includes(metadata.metatype)) {
      // No body at all is an empty object: the DTO decides whether that says enough.
      const body = value === undefined ? {} : value;
      assertBodyShape(body, this.maxDepth);
      return super.transform(body, metadata);
    }
    if (metadata.type === 'query' && metadata.metatype && !PRIMITIVES.includes(metadata.metatype))
      assertPlainInput(value, 2, 'query');
    return super.transform(value, metadata);
  }
}

/** Whitelisting pipe whose 400 lists every bad field with its messages. */
export function createValidationPipe(maxDepth = 16): ValidationPipe {
  return new BodyValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new InvalidInputException(
          'VALIDATION_FAILED',
          'The request has invalid fields.',
          flattenValidationErrors(errors),
        ),
    },
    maxDepth,
  );
}
