import { isUtf8 } from 'node:buffer';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { InvalidInputException } from '../errors/domain.exception';

export interface BodyLimits {
  /** Bytes of one request body (JSON, form or text). */
  maxBytes: number;
  /** Deepest nesting of arrays and objects a JSON API body may have. */
  maxDepth: number;
}

/** Routes that speak JSON only; everything else (pages, incl. the ops console, platform pushes) keeps its own formats. */
const JSON_ONLY = /^\/(api|ops(?!\/console(\/|$))|webhooks\/erp)(\/|$)/;

class BodyError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Keeps the exact bytes (signatures need them) and refuses bytes that are not UTF-8 instead of replacing them. */
function keepRawUtf8(req: Request & { rawBody?: Buffer }, _res: Response, buffer: Buffer): void {
  req.rawBody = buffer;
  if (!isUtf8(buffer)) throw new BodyError(400, 'entity.encoding.invalid', 'the body is not valid UTF-8');
}

function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && JSON_ONLY.test(req.path) && !req.is(['application/json', 'application/*+json'])) {
    next(new BodyError(415, 'content-type.unsupported', 'this endpoint takes application/json'));
    return;
  }
  next();
}

/**
 * Body parsers of the service (Nest's own are off): one documented size limit for every body,
 * JSON in UTF-8 only, and JSON-only API routes. Errors carry an exposed 4xx status that the
 * exception filter answers as is.
 */
export function useBodyParsing(app: INestApplication, limits: BodyLimits): void {
  const common = { limit: limits.maxBytes, verify: keepRawUtf8 };
  app.use(jsonOnly);
  app.use(express.json({ ...common, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ ...common, extended: false, parameterLimit: 200 }));
  // Kuaishou pushes are text/plain (Base64 ciphertext).
  app.use(express.text({ ...common, type: 'text/*' }));
}

/** Keys that class-transformer skips, so the whitelist would never see them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Walks arrays and objects without recursion (a hostile body must not exhaust the stack). */
export function assertPlainInput(value: unknown, maxDepth: number, what: 'body' | 'query'): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth)
      throw new InvalidInputException('BODY_TOO_DEEP', `The request ${what} is nested deeper than ${maxDepth} levels.`);
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new InvalidInputException('VALIDATION_FAILED', 'The request has invalid fields.', [
          { field: key, messages: [`property ${key} should not exist`] },
        ]);
      stack.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

export function assertBodyShape(value: unknown, maxDepth: number): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputException('BODY_NOT_AN_OBJECT', 'The request body must be a JSON object.');
  }
  assertPlainInput(value, maxDepth, 'body');
}
