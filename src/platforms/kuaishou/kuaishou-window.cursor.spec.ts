import { PlatformError } from '../platform-error';
import { decodeWindowCursor, encodeWindowCursor, windowedPage } from './kuaishou-window.cursor';

const DAY = 86_400_000;

/** A fake platform: `pages[windowStart]` lists the pages of that window. */
function platform(pages: Record<number, string[][]>) {
  const calls: { begin: number; end: number; cursor: string }[] = [];
  const fetch = async (begin: number, end: number, cursor: string) => {
    calls.push({ begin, end, cursor });
    const list = pages[begin] ?? [];
    const index = cursor ? Number(cursor) : 0;
    return { items: list[index] ?? [], platformCursor: index + 1 < list.length ? String(index + 1) : 'nomore' };
  };
  return { calls, fetch };
}

async function drain(since: number, until: number, windowMs: number, fetch: ReturnType<typeof platform>['fetch']) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await windowedPage({ since, until, cursor, api: 'test' }, windowMs, fetch);
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { seen, pages };
}

describe('windowedPage', () => {
  it('walks a 20-day range in 7-day windows that neither overlap nor leave gaps', async () => {
    const p = platform({ 0: [['a', 'b'], ['c']], [7 * DAY]: [['d']], [14 * DAY]: [['e']] });
    const { seen } = await drain(0, 20 * DAY, 7 * DAY, p.fetch);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    const windows = [...new Map(p.calls.map((c) => [c.begin, c.end])).entries()];
    expect(windows).toEqual([
      [0, 7 * DAY - 1],
      [7 * DAY, 14 * DAY - 1],
      [14 * DAY, 20 * DAY],
    ]);
  });

  it('passes the platform cursor back inside the same window', async () => {
    const p = platform({ 0: [['a'], ['b'], ['c']] });
    await drain(0, DAY, 7 * DAY, p.fetch);
    expect(p.calls.map((c) => c.cursor)).toEqual(['', '1', '2']);
  });

  it('skips empty windows without returning empty pages', async () => {
    const p = platform({ [14 * DAY]: [['late']] });
    const { seen, pages } = await drain(0, 15 * DAY, 7 * DAY, p.fetch);
    expect(seen).toEqual(['late']);
    expect(pages).toBe(1);
  });

  it('refuses a cursor it did not issue', () => {
    expect(() => decodeWindowCursor('open.order.cursor.list', 'nomore')).toThrow(PlatformError);
    expect(decodeWindowCursor('x', encodeWindowCursor({ windowStart: 5, platformCursor: 'abc' }))).toEqual({
      windowStart: 5,
      platformCursor: 'abc',
    });
  });
});
