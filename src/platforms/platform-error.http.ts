import { HttpStatus } from '@nestjs/common';
import type { ErrorAnswerer } from '../common/http/all-exceptions.filter';
import { FailureDisposition, failureDisposition } from './failure-policy';
import { isPlatformError } from './platform-error';

/**
 * A platform failure met while answering a request, by the failure policy's disposition: the
 * platform is unavailable for now (503), the shop must be authorized again (409), or the platform
 * refused what was asked (422). Never a 500: it is not our bug.
 */
const STATUS_BY_DISPOSITION: Record<FailureDisposition, number> = {
  retry: HttpStatus.SERVICE_UNAVAILABLE,
  reauth: HttpStatus.CONFLICT,
  park: HttpStatus.UNPROCESSABLE_ENTITY,
  drop: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** The HTTP answer to a platform error (registered with the exception filter in `bootstrap.ts`). */
export const answerPlatformError: ErrorAnswerer = (exception) => {
  if (!isPlatformError(exception)) return undefined;
  const statusCode = STATUS_BY_DISPOSITION[failureDisposition(exception)];
  const body = {
    statusCode,
    error: `PLATFORM_${exception.code}`,
    message: `${exception.platform}: ${exception.message}`,
  };
  const retryAfter = exception.retryAfterMs && statusCode === HttpStatus.SERVICE_UNAVAILABLE;
  return retryAfter
    ? { body, headers: { 'retry-after': String(Math.ceil(exception.retryAfterMs! / 1000)) } }
    : { body };
};
