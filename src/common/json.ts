import { isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON without losing precision: integers beyond 2^53 become strings, so a Long id
 * from a platform can never silently change.
 */
export function parseJsonSafe(text: string): unknown {
  return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}

export function stringifyJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
