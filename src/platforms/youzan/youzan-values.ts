import { fenToYuan, yuanToFen } from '@app/common/money';

/** Youzan times are China Standard Time (UTC+8, no daylight saving) wall-clock strings. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DATE_TIME = /^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/;
/** "Unset" sentinel seen in doc demos: epoch 0 rendered in Beijing time. */
const EPOCH_SENTINEL = '1970-01-01 08:00:00';

/** `yyyy-MM-dd HH:mm:ss` (Beijing) → epoch ms; "" and the epoch sentinel mean "not set". Lenient about `yyyy年-MM月-dd日`. */
export function beijingToEpochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value > 0 ? (value < 1e11 ? value * 1000 : value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text === EPOCH_SENTINEL) return null;
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - BEIJING_OFFSET_MS;
  return ms <= 0 ? null : ms;
}

/** epoch ms → `yyyy-MM-dd HH:mm:ss` in Beijing time (seconds are truncated). */
export function epochMsToBeijing(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A Youzan "Price" (yuan decimal string, sometimes a number) → integer fen. Absent → 0. */
export function yuanStringToFen(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number' || typeof value === 'string') return yuanToFen(value);
  throw new RangeError(`not a yuan amount: ${JSON.stringify(value)}`);
}

/** Integer fen → yuan with exactly two decimals ("12.30"), as Youzan's yuan parameters expect. */
export function fenToYuanString(fen: number): string {
  return fenToYuan(fen);
}

/** An id from a parsed body (number, or string when it exceeded 2^53) → string. */
export function idString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return '';
}

/** A Long id for a request body: kept exact even beyond 2^53 (serialized as a JSON number). */
export function longParam(id: string): bigint {
  if (!/^\d+$/.test(id)) throw new RangeError(`not a numeric Youzan id: ${id}`);
  return BigInt(id);
}

/**
 * Decodes a form-encoded string the way Youzan's Java encoder produced it: `+` is a space,
 * then percent-decoding (what PHP `urldecode` does; `decodeURIComponent` alone keeps `+`).
 */
export function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}
