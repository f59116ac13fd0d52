import { createHash } from 'node:crypto';
import { isSafeNumber, parse } from 'lossless-json';

/**
 * The emulator's own encoding helpers. Deliberately independent of src/platforms/youzan: the
 * emulator is a second, separate reading of the protocol, so a shared bug cannot hide.
 */

const CST_MS = 8 * 3600 * 1000;
const BIG = '\u0001L';
const BIG_PATTERN = /"\\u0001L(-?\d+)"/g;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Integer fen → "12.30". */
export function yuan(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const text = `${Math.trunc(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** "12.3" / "12.30" / 12.3 → 1230 fen; undefined when not a yuan amount with ≤ 2 decimals. */
export function parseYuan(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** epoch ms → "yyyy-MM-dd HH:mm:ss" China time. */
export function cstString(ms: number): string {
  const d = new Date(ms + CST_MS);
  const p = (n: number) => n.toString().padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** "yyyy-MM-dd HH:mm:ss" (strict, as the gateway's Date type) → epoch ms, or undefined. */
export function parseCst(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) - CST_MS;
}

/** Adds calendar months in China time (Jan 31 + 1 month → Feb 28/29), for the 3-month span rule. */
export function addMonthsCst(ms: number, months: number): number {
  const d = new Date(ms + CST_MS);
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime() - CST_MS;
}

/** yyyyMMddHHmmss in China time (order and refund numbers start with it). */
export function compactCst(ms: number): string {
  return cstString(ms).replace(/[- :]/g, '');
}

/** A Long id kept exact on the wire: serialized as a bare JSON number even beyond 2^53. */
export class LongId {
  constructor(readonly digits: string) {}
}

/** JSON with LongId values written as raw numbers (Java Long), the way Youzan sends ids. */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof LongId ? `${BIG}${v.digits}` : v));
  return text.replace(BIG_PATTERN, '$1');
}

/** Request JSON: integers beyond 2^53 stay exact (as bigint). Throws on malformed JSON. */
export function decodeJson(text: string): unknown {
  return parse(text, null, (n: string) => (isSafeNumber(n) ? Number(n) : /^-?\d+$/.test(n) ? BigInt(n) : Number(n)));
}

/** URL-encodes like Java's URLEncoder (space → `+`), as Youzan encodes push `msg`. */
export function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
