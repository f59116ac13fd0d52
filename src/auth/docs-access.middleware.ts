import type { NextFunction, Request, Response } from 'express';
import { readCookie } from './access.guard';
import { ApiTokensService } from './api-tokens.service';
import { SESSION_COOKIE, SessionsService } from './sessions.service';

/**
 * `/docs` is served by Swagger outside Nest's router, so the global guard never sees it: this
 * middleware asks for the same credentials (a session cookie or an API token).
 */
export function docsAccessMiddleware(sessions: SessionsService, tokens: ApiTokensService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const authorization = req.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    const lookup = bearer ? tokens.resolve(bearer) : cookie ? sessions.resolve(cookie) : Promise.resolve(undefined);
    lookup.then(
      (principal) => {
        if (principal) return next();
        if (!authorization && req.method === 'GET' && !req.originalUrl.startsWith('/docs-json'))
          return res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        res
          .status(401)
          .json({ statusCode: 401, error: 'UNAUTHENTICATED', message: 'Sign in first (or send an API token).' });
      },
      (error: unknown) => next(error),
    );
  };
}
