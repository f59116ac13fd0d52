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

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: { field: string; messages: string[] }[];
  correlationId?: string;
}

/** The one place that turns failures into HTTP answers. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const correlationId = Correlation.id();
    let body: ErrorBody;
    if (exception instanceof DomainException) {
      body = { statusCode: STATUS_BY_KIND[exception.kind], error: exception.code, message: exception.message, correlationId };
      if (exception.fields.length) body.fields = exception.fields;
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      body = { statusCode: status, error: HttpStatus[status] ?? 'ERROR', message, correlationId };
    } else {
      this.logger.error({ err: exception, correlationId }, 'unhandled error');
      body = { statusCode: 500, error: 'INTERNAL', message: 'Something went wrong on our side. Quote the correlation id when reporting it.', correlationId };
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }
}
