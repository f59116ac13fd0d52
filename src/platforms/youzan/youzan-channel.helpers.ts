import { PlatformError } from '../platform-error';
import { ShopRef } from '../ports/platform.types';
import { RawItem } from './youzan-api.types';
import { YouzanCallOptions, YouzanHttpClient } from './youzan-http.client';
import { longParam } from './youzan-values';

/** What the Youzan capability adapters share: call kinds, the raw item read, cursors, errors. */
export const READ: YouzanCallOptions = { idempotent: true };
export const WRITE_ONCE: YouzanCallOptions = { idempotent: false };
export const MAX_PAGE_SIZE = 100;

export function youzanInvalid(api: string, message: string): PlatformError {
  return new PlatformError({ platform: 'youzan', api, code: 'INVALID_REQUEST', message });
}

export async function readRawItem(http: YouzanHttpClient, shop: ShopRef, itemId: string): Promise<RawItem> {
  const params = { item_id: longParam(itemId) };
  const data = (await http.call(shop, 'youzan.item.get', '3.0.0', params, READ)) as { item?: RawItem };
  if (!data?.item) {
    const message = `item ${itemId} not found`;
    throw new PlatformError({ platform: 'youzan', api: 'youzan.item.get', code: 'NOT_FOUND', message });
  }
  return data.item;
}

export function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    const message = 'malformed page cursor';
    throw new PlatformError({ platform: 'youzan', api: 'cursor', code: 'INVALID_REQUEST', message });
  }
}
