/** What every emulated Kuaishou open API shares: its definition, the gateway's dependencies, cursor paging. */
import { Counters } from '../shared/counters';
import { EmulatorClock } from '../shared/emulator-clock';
import { FaultInjector } from '../shared/fault-injector';
import { KsApiError, ksError } from './kuaishou-emulator.errors';
import { ParamReader } from './kuaishou-emulator.json';
import { KsPart } from './kuaishou-emulator.images';
import { DAY_MS } from './kuaishou-emulator.model';
import { KsShop, KuaishouEmulatorStore } from './kuaishou-emulator.store';
import { KuaishouOAuthStore } from './kuaishou-oauth.store';

export interface OpenApiDeps {
  appKey: string;
  signSecret: string;
  clock: EmulatorClock;
  faults: FaultInjector;
  counters: Counters;
  store: KuaishouEmulatorStore;
  oauth: KuaishouOAuthStore;
  maxOrderPageSize: number;
  refundWindowMs: number;
  /** Allowed |timestamp − now|; the real tolerance is unconfirmed, so it is off unless set. */
  timestampSkewMs?: number;
}

export interface ApiContext {
  shop: KsShop;
  p: ParamReader;
  now: number;
  /** File parts of a multipart request (the image upload). */
  files: KsPart[];
}

/** What a handler answers: `data`, or nothing for the writes that answer `result` only. */
export type ApiAnswer = { data: unknown } | undefined;

export interface ApiDef {
  scope: string;
  write: boolean;
  handle(ctx: ApiContext): ApiAnswer;
}

const LOOK_BACK_MS = 90 * DAY_MS;

export const read = (scope: string, handle: ApiDef['handle']): ApiDef => ({ scope, write: false, handle });
export const write = (scope: string, handle: ApiDef['handle']): ApiDef => ({ scope, write: true, handle });

function cursorOf(time: number, id: string): string {
  return Buffer.from(`${time}_${id}`).toString('base64url');
}

function readCursor(cursor: string): { time: number; id: string } | undefined {
  if (!cursor) return undefined;
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('_');
  if (!/^\d+$/.test(time ?? '') || !/^\d+$/.test(id ?? '')) throw ksError.invalid('cursor 不合法');
  return { time: Number(time), id };
}

/** Sorted page after an optional (time, id) cursor; "nomore" when nothing is left. */
export function cursorPage<T>(
  rows: T[],
  time: (row: T) => number,
  id: (row: T) => string,
  ascending: boolean,
  cursor: string,
  pageSize: number,
): { page: T[]; next: string } {
  const order = (a: T, b: T) =>
    (time(a) - time(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0)) * (ascending ? 1 : -1);
  const sorted = [...rows].sort(order);
  const after = readCursor(cursor);
  const rest = after
    ? sorted.filter((row) => {
        const delta =
          (time(row) - after.time || (id(row) < after.id ? -1 : id(row) > after.id ? 1 : 0)) * (ascending ? 1 : -1);
        return delta > 0;
      })
    : sorted;
  const page = rest.slice(0, pageSize);
  const last = page[page.length - 1];
  return { page, next: rest.length > pageSize && last ? cursorOf(time(last), id(last)) : 'nomore' };
}

export function checkRange(
  begin: number,
  end: number,
  now: number,
  windowMs: number,
  errors: { range: KsApiError; lookBack: KsApiError },
): void {
  if (end < begin) throw ksError.invalid('endTime 不能早于 beginTime');
  if (end - begin > windowMs) throw errors.range;
  if (begin < now - LOOK_BACK_MS) throw errors.lookBack;
}
