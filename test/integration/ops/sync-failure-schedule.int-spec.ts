import { randomUUID } from 'node:crypto';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { startTestApp, TestApp } from '@test/support/test-app';

const MINUTE = 60_000;

/** When open failures are retried automatically, with the default schedule (FAILURE_RETRY_DELAYS_MS). */
describe(SyncFailureService.name, () => {
  let t: TestApp;
  let failures: SyncFailureService;
  const outcomes = new Map<string, boolean>();

  beforeAll(async () => {
    t = await startTestApp({ label: 'failure-schedule', env: { FAILURE_RETRY_DELAYS_MS: undefined } });
    failures = t.app.get(SyncFailureService);
    failures.registerReplayHandler('test.schedule', async (data) => {
      if (!outcomes.get((data as { ref: string }).ref)) throw new Error('still failing');
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  const record = (ref: string, extra: Partial<Parameters<SyncFailureService['record']>[0]> = {}) =>
    failures.record({
      context: 'test',
      operation: 'op',
      errorCode: 'TEMPORARY',
      reason: 'platform down',
      platform: 'youzan',
      entityRef: ref,
      replay: { kind: 'test.schedule', data: { ref } },
      dedupeKey: `test:${ref}`,
      ...extra,
    });

  describe('record', () => {
    it('schedules the first automatic retry of a dead letter within a minute, whatever attempts it spent before', async () => {
      const before = Date.now();
      const saved = await record(randomUUID(), { attempts: 5 });
      expect(saved.nextRetryAt).not.toBeNull();
      expect(saved.nextRetryAt! - before).toBeLessThanOrEqual(MINUTE);
    });

    it('keeps the scheduled retry of a collapsed failure however often the live flow fails again', async () => {
      const ref = randomUUID();
      const first = await record(ref);
      let last = first;
      for (let i = 0; i < 10; i++) last = await record(ref);
      expect(last.id).toBe(first.id);
      expect(last.attempts).toBe(11);
      expect(last.nextRetryAt).toBe(first.nextRetryAt);
    });
  });

  describe('runReplay', () => {
    it('never abandons a retryable failure: each failed retry backs off, up to the last delay', async () => {
      const ref = randomUUID();
      let failure = await record(ref);
      for (let i = 0; i < 10; i++) {
        const claimed = (await failures.claimForRetry(failure.id))!;
        const before = Date.now();
        failure = await failures.runReplay(claimed);
        expect(failure.status).toBe('open');
        expect(failure.nextRetryAt).not.toBeNull();
        expect(failure.nextRetryAt! - before).toBeLessThanOrEqual(30 * MINUTE + 1000);
      }
      expect(failure.attempts).toBe(11);
      expect(failure.reason).toBe('still failing');
    });

    it('makes the platform’s other outage failures due at once when a retry on that platform succeeds', async () => {
      const [a, b, other] = [randomUUID(), randomUUID(), randomUUID()];
      const fa = await record(a);
      const fb = await record(b);
      const fo = await record(other, { platform: 'kuaishou' });
      outcomes.set(a, true);
      const resolved = await failures.runReplay((await failures.claimForRetry(fa.id))!);
      expect(resolved.status).toBe('resolved');
      expect((await failures.get(fb.id)).nextRetryAt).toBeLessThanOrEqual(Date.now());
      expect((await failures.get(fo.id)).nextRetryAt).toBe(fo.nextRetryAt);
      expect((await failures.dueForRetry(1000)).map((f) => f.id)).toContain(fb.id);
    });

    it('does the same when the live flow succeeds on that platform and resolves its own failure', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await record(a);
      const fb = await record(b);
      await failures.resolveByDedupeKey(`test:${a}`);
      expect((await failures.get(fb.id)).nextRetryAt).toBeLessThanOrEqual(Date.now());
    });
  });
});
