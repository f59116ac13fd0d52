import { createCipheriv, createHash, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import type { TestUser } from './access';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface RawAnswer {
  status: number;
  text: string;
  json?: unknown;
}

/** Sends exactly the bytes given (fetch would re-encode nothing, but supertest would). */
export async function sendRaw(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const res = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body as NonNullable<Parameters<typeof fetch>[1]>['body'],
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A Kuaishou push as the platform sends it: AES-CBC with the message key, zero IV, Base64, text/plain. */
export function kuaishouPush(
  plaintext: string | Buffer,
  messageSecret: string = SANDBOX_CREDENTIALS.kuaishou.messageSecret,
): RawRequest {
  const key = Buffer.from(messageSecret, 'base64');
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16, 0));
  const body = Buffer.concat([
    cipher.update(Buffer.isBuffer(plaintext) ? plaintext : Buffer.from(plaintext, 'utf8')),
    cipher.final(),
  ]).toString('base64');
  return { method: 'POST', path: '/webhooks/kuaishou', headers: { 'content-type': 'text/plain;charset=utf-8' }, body };
}

/** A Youzan push signed as the platform signs it: md5(client_id + raw body + client_secret). */
export function youzanPush(raw: Buffer | string, contentType = 'application/json'): RawRequest {
  const { clientId, clientSecret } = SANDBOX_CREDENTIALS.youzan;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  const sign = createHash('md5')
    .update(Buffer.concat([Buffer.from(clientId), bytes, Buffer.from(clientSecret)]))
    .digest('hex');
  return {
    method: 'POST',
    path: '/webhooks/youzan',
    headers: { 'content-type': contentType, 'event-sign': sign, 'client-id': clientId },
    body: bytes,
  };
}

/** The callers hostile input is sent as: admin (merchant create), the merchant's owner (its API), ops (ops API). */
export interface HostileCallers {
  admin?: TestUser;
  owner?: TestUser;
  ops?: TestUser;
}

/** Who may call the path, as an API token (no CSRF token needed); the webhooks authenticate by signature. */
export function authFor(callers: HostileCallers, path: string): Record<string, string> {
  const user =
    path === '/api/merchants' || path === '/ops/settings'
      ? callers.admin
      : path.startsWith('/api/')
        ? callers.owner
        : path.startsWith('/ops/')
          ? callers.ops
          : undefined;
  return user ? { authorization: user.bearer } : {};
}

/** An ERP stock delivery signed with one of the merchant's ERP credentials. */
export function erpDelivery(
  credential: { keyId: string; secret: string },
  raw: Buffer | string,
  options: { contentType?: string; deliveryId?: string; secret?: string } = {},
): RawRequest {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = options.deliveryId ?? randomUUID();
  return {
    method: 'POST',
    path: '/webhooks/erp/stock',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      [ERP_HEADERS.keyId]: credential.keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: deliveryId,
      [ERP_HEADERS.signature]: signErpPayload(options.secret ?? credential.secret, timestamp, deliveryId, bytes),
    },
    body: bytes,
  };
}

/** `CHECKSUM TABLE` of every table of the database: equal before and after means nothing was written. */
export async function tableChecksums(databaseUrl: string): Promise<Record<string, string>> {
  const connection = await mysql.createConnection(databaseUrl);
  try {
    const [tables] = await connection.query<mysql.RowDataPacket[]>('SHOW TABLES');
    const names = tables.map((row) => String(Object.values(row)[0])).filter((name) => name !== 'migrations');
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      `CHECKSUM TABLE ${names.map((n) => `\`${n}\``).join(', ')}`,
    );
    return Object.fromEntries(rows.map((row) => [String(row.Table).split('.').pop(), String(row.Checksum)]));
  } finally {
    await connection.end();
  }
}

/**
 * Checksums once background work (outbox relay, consumers) has stopped changing anything: every
 * event published and three reads in a row agree. Waits as long as it takes on a loaded machine.
 */
export async function settledChecksums(databaseUrl: string, timeoutMs = 180_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  let agreeing = 0;
  for (;;) {
    const current = await tableChecksums(databaseUrl);
    const text = JSON.stringify(current);
    agreeing = text === previous ? agreeing + 1 : 0;
    previous = text;
    if (agreeing >= 2 && (await unpublishedEvents(databaseUrl)) === 0) return current;
    if (Date.now() > deadline) throw new Error('the database never settled');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function unpublishedEvents(databaseUrl: string): Promise<number> {
  const connection = await mysql.createConnection(databaseUrl);
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL',
    );
    return Number(rows[0].n);
  } finally {
    await connection.end();
  }
}

/** The documented error shape (src/common/http/all-exceptions.filter.ts). */
export function isErrorBody(body: unknown, status: number): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  if (
    b.statusCode !== status ||
    typeof b.error !== 'string' ||
    typeof b.message !== 'string' ||
    typeof b.correlationId !== 'string'
  )
    return false;
  if (b.fields === undefined) return true;
  return (
    Array.isArray(b.fields) &&
    b.fields.every(
      (f) =>
        f &&
        typeof f.field === 'string' &&
        Array.isArray(f.messages) &&
        f.messages.every((m: unknown) => typeof m === 'string'),
    )
  );
}
