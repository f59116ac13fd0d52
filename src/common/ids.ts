import { randomUUID } from 'node:crypto';

export const ID_GENERATOR = Symbol('ID_GENERATOR');

export interface IdGenerator {
  uuid(): string;
}

export class RandomIdGenerator implements IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}

/** Platform ids are strings: Kuaishou order ids are close to 2^53 and other Longs exceed it. */
export type PlatformId = string;

export function toPlatformId(value: unknown): PlatformId {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  throw new TypeError(`not a platform id: ${String(value)}`);
}
