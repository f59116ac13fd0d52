import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Correlation } from '../context/correlation';
import { DomainErrorKind, DomainException } from '../errors/domain.exception';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** The HTTP status of a domain error, for handlers that answer it themselves (e.g. a page re-rendered with a notice). */
export const statusOfDomainError = (error: DomainException): number => STATUS_BY_KIND[error.kind];

/** Codes of the body parsers' refusals (http-errors `type`), so clients can tell them apart. */
const CODE_BY_BODY_ERROR: Record<string, string> = {
  'entity.too.large': 'BODY_TOO_LARGE',
  'entity.parse.failed': 'MALFORMED_BODY',
  'entity.encoding.invalid': 'BODY_NOT_UTF8',
  'charset.unsupported': 'UNSUPPORTED_CHARSET',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
  'content-type.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'parameters.too.many': 'TOO_MANY_PARAMETERS',
};

/** An error raised by Express or a body parser that is safe to show: a 4xx with `expose`. */
function exposedClientError(error: unknown): { status: number; type?: string; message: string } | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return undefined;
  return {
    status,
    type: typeof e.type === 'string' ? e.type : undefined,
    message: typeof e.message === 'string' ? e.message : 'the request was refused',
  };
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: { field: string; messages: string[] }[];
  correlationId?: string;
}

/**
 * An answer for errors of a lower context that common cannot know (e.g. the platforms' errors by
 * the failure policy): `undefined` when the error is not its kind. Passed in by `bootstrap.ts`.
 */
export type ErrorAnswerer = (
  exception: unknown,
) => { body: Omit<ErrorBody, 'correlationId'>; headers?: Record<string, string> } | undefined;

/** The one place that turns failures into HTTP answers. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly answerers: readonly ErrorAnswerer[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const correlationId = Correlation.id();
    let body: ErrorBody;
    if (exception instanceof DomainException) {
      body = {
        statusCode: STATUS_BY_KIND[exception.kind],
        error: exception.code,
        message: exception.message,
        correlationId,
      };
      if (exception.fields.length) body.fields = exception.fields;
    } else if (this.answer(exception)) {
      const { body: answered, headers } = this.answer(exception)!;
      body = { ...answered, correlationId };
      if (headers && !res.headersSent) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      body = { statusCode: status, error: HttpStatus[status] ?? 'ERROR', message, correlationId };
    } else if (exposedClientError(exception)) {
      const { status, type, message } = exposedClientError(exception)!;
      body = {
        statusCode: status,
        error: (type && CODE_BY_BODY_ERROR[type]) ?? HttpStatus[status] ?? 'ERROR',
        message,
        correlationId,
      };
    } else {
      this.logger.error({ err: exception, correlationId }, 'unhandled error');
      body = {
        statusCode: 500,
        error: 'INTERNAL',
        message: 'Something went wrong on our side. Quote the correlation id when reporting it.',
        correlationId,
      };
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private answer(exception: unknown): ReturnType<ErrorAnswerer> {
    for (const answerer of this.answerers) {
      const answer = answerer(exception);
      if (answer) return answer;
    }
    return undefined;
  }
}
