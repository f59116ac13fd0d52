import { PlatformError } from '../platform-error';

/**
 * Kuaishou list APIs accept a bounded time window (orders 7 days, refunds 1 day) and page it with
 * a platform cursor ending in "nomore". Longer ranges are walked window by window; our opaque
 * cursor holds the current window's start and the platform cursor inside it.
 */
export interface WindowPosition {
  windowStart: number;
  platformCursor: string;
}

export interface WindowPage<T> {
  items: T[];
  platformCursor: string;
}

export const KUAISHOU_END_CURSOR = 'nomore';
const PREFIX = 'ksw1.';

export function encodeWindowCursor(position: WindowPosition): string {
  return (
    PREFIX + Buffer.from(JSON.stringify([position.windowStart, position.platformCursor]), 'utf8').toString('base64url')
  );
}

export function decodeWindowCursor(api: string, cursor: string): WindowPosition {
  try {
    if (!cursor.startsWith(PREFIX)) throw new Error('foreign cursor');
    const [windowStart, platformCursor] = JSON.parse(
      Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'),
    ) as [unknown, unknown];
    if (typeof windowStart !== 'number' || typeof platformCursor !== 'string') throw new Error('bad cursor');
    return { windowStart, platformCursor };
  } catch {
    throw new PlatformError({
      platform: 'kuaishou',
      api,
      code: 'INVALID_REQUEST',
      message: `${api}: not a cursor this client issued`,
    });
  }
}

/**
 * One page of a windowed listing over [since, until] (inclusive ms). Windows are inclusive too,
 * `windowMs` long, so consecutive windows never overlap. Empty windows are skipped.
 */
export async function windowedPage<T>(
  range: { since: number; until: number; cursor?: string; api: string },
  windowMs: number,
  fetch: (begin: number, end: number, platformCursor: string) => Promise<WindowPage<T>>,
): Promise<{ items: T[]; nextCursor?: string }> {
  let position = range.cursor
    ? decodeWindowCursor(range.api, range.cursor)
    : { windowStart: range.since, platformCursor: '' };
  if (position.windowStart < range.since) position = { windowStart: range.since, platformCursor: '' };
  for (;;) {
    if (position.windowStart > range.until) return { items: [] };
    const end = Math.min(position.windowStart + windowMs - 1, range.until);
    const page = await fetch(position.windowStart, end, position.platformCursor);
    const windowDone =
      page.platformCursor === KUAISHOU_END_CURSOR ||
      page.platformCursor === '' ||
      page.platformCursor === position.platformCursor;
    if (!windowDone)
      return {
        items: page.items,
        nextCursor: encodeWindowCursor({ windowStart: position.windowStart, platformCursor: page.platformCursor }),
      };
    if (end >= range.until) return { items: page.items };
    position = { windowStart: end + 1, platformCursor: '' };
    if (page.items.length) return { items: page.items, nextCursor: encodeWindowCursor(position) };
  }
}
