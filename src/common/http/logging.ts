import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { AppConfigShape } from '@app/config/app-config';
import { Correlation } from '../context/correlation';

const CORRELATION_HEADER = 'x-correlation-id';
const VALID_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Paths that never reach the logs: credentials in any shape the platforms or we use. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["event-sign"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.appSecret',
  '*.app_secret',
  '*.client_secret',
  '*.signSecret',
  '*.password',
  '*.token',
];

/** Assigns the correlation id of a request (taken from the caller when well-formed). */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header(CORRELATION_HEADER);
  const id = given && VALID_ID.test(given) ? given : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader(CORRELATION_HEADER, id);
  Correlation.run(id, next, 'http');
}

export function loggerParams(config: AppConfigShape): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      transport: config.log.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      genReqId: (req) => (req as unknown as { id?: string }).id ?? randomUUID(),
      customAttributeKeys: { reqId: 'correlationId' },
      // Request logs carry the id as a binding already; messages and jobs get it here.
      mixin: () => {
        const correlationId = Correlation.source() === 'http' ? undefined : Correlation.id();
        return correlationId ? { correlationId } : {};
      },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Query strings may carry OAuth codes and tokens: log the path only.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
    },
  };
}
