import { ShopRef } from '../ports/platform.types';
import { PlatformError, PlatformErrorCode } from '../platform-error';
import { CallFailureListener, withFailurePolicy } from './failure-boundary';

const shop: ShopRef = { platform: 'kuaishou', connectionId: 'conn-1', shopId: 'open-1' };
const failure = (code: PlatformErrorCode) =>
  new PlatformError({ platform: 'kuaishou', api: 'open.item.list.get', code, message: code });

/** A port of any shape: the boundary must not need to know its methods. */
class FakePort {
  readonly platform = 'kuaishou';
  calls = 0;
  #secret = 'private state';
  constructor(private readonly fail?: PlatformError) {}
  async listThings(ref: ShopRef, page: number): Promise<string[]> {
    this.calls++;
    if (this.fail) throw this.fail;
    return [`${ref.shopId}:${page}:${this.#secret}`];
  }
  async nested(ref: ShopRef): Promise<string[]> {
    return this.listThings(ref, 2);
  }
  async noShop(query: string): Promise<string> {
    if (this.fail) throw this.fail;
    return query;
  }
  offset(): number {
    return 42;
  }
}

function listener(): CallFailureListener & { reports: [string, string][] } {
  const reports: [string, string][] = [];
  return { reports, reportCallFailure: async (id, error) => (reports.push([id, error.code]), true) };
}

describe('withFailurePolicy', () => {
  it('reports a re-authorization failure of any method asked for a shop, then rethrows it unchanged', async () => {
    for (const code of ['AUTH_REVOKED', 'INSUFFICIENT_SCOPE'] as const) {
      const l = listener();
      const error = failure(code);
      const port = withFailurePolicy(new FakePort(error), l);
      await expect(port.listThings(shop, 1)).rejects.toBe(error);
      expect(l.reports).toEqual([['conn-1', code]]);
    }
  });

  it('reports nothing for failures that say nothing about the grant', async () => {
    for (const code of [
      'TEMPORARY',
      'RATE_LIMITED',
      'AUTH_EXPIRED',
      'NOT_FOUND',
      'INVALID_REQUEST',
      'UNKNOWN',
    ] as const) {
      const l = listener();
      await expect(withFailurePolicy(new FakePort(failure(code)), l).listThings(shop, 1)).rejects.toMatchObject({
        code,
      });
      expect(l.reports).toEqual([]);
    }
  });

  it('reports once for a method that calls another of its port', async () => {
    const l = listener();
    await expect(withFailurePolicy(new FakePort(failure('AUTH_REVOKED')), l).nested(shop)).rejects.toMatchObject({
      code: 'AUTH_REVOKED',
    });
    expect(l.reports).toHaveLength(1);
  });

  it('leaves answers, properties, sync methods and calls without a shop as they are', async () => {
    const l = listener();
    const port = withFailurePolicy(new FakePort(), l);
    expect(await port.listThings(shop, 3)).toEqual(['open-1:3:private state']);
    expect(port.platform).toBe('kuaishou');
    expect(port.offset()).toBe(42);
    expect(port.calls).toBe(1);
    const failing = withFailurePolicy(new FakePort(failure('AUTH_REVOKED')), l);
    await expect(failing.noShop('x')).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    expect(l.reports).toEqual([]);
  });

  it('still throws the platform’s error when reporting it fails', async () => {
    const error = failure('AUTH_REVOKED');
    const broken: CallFailureListener = { reportCallFailure: async () => Promise.reject(new Error('database gone')) };
    await expect(withFailurePolicy(new FakePort(error), broken).listThings(shop, 1)).rejects.toBe(error);
  });
});
