import { LosslessNumber } from 'lossless-json';

/** A Kuaishou Long as it arrives: a number when safe, a digit string beyond 2^53 (parseJsonSafe). */
export type KuaishouLong = number | string;

const DIGITS = /^-?\d+$/;

/** Our string id → a JSON number written digit for digit (ids exceed 2^53, so never via Number). */
export function toKuaishouLong(id: string): LosslessNumber {
  if (!DIGITS.test(id)) throw new RangeError(`not a Kuaishou numeric id: ${JSON.stringify(id)}`);
  return new LosslessNumber(id);
}

export function isKuaishouLong(id: string): boolean {
  return DIGITS.test(id) && id.length <= 19;
}

/** A Long from a parsed answer → our string id ('' when absent). */
export function idFrom(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof LosslessNumber) return value.toString();
  return String(value);
}
