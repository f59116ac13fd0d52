import type { Mocked } from '@suites/unit';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { SyncFailureEntity } from './sync-failure.entity';
import { SyncFailureRepository } from './sync-failure.repository';
import { RecordFailureInput, SyncFailureService } from './sync-failure.service';

const input = (overrides: Partial<RecordFailureInput> = {}): RecordFailureInput => ({
  context: 'inventory',
  operation: 'stock.write',
  errorCode: 'TEMPORARY',
  reason: 'the platform did not answer',
  platform: 'kuaishou',
  replay: { kind: 'inventory.stock-write', data: { merchantSkuId: 'sku-1' } },
  ...overrides,
});

describe(SyncFailureService.name, () => {
  let t: TestService<SyncFailureService>;
  let repo: Mocked<SyncFailureRepository>;
  let rows: Map<string, SyncFailureEntity>;
  let delays: number[];

  beforeEach(async () => {
    t = await newTestService(SyncFailureService);
    repo = t.mocks.get(SyncFailureRepository);
    delays = t.config.messaging.failureRetryDelaysMs;
    rows = new Map();
    repo.lockById.mockImplementation(async (id) => rows.get(id) ?? null);
    repo.findById.mockImplementation(async (id) => rows.get(id) ?? null);
    repo.lockOpenByDedupeKey.mockImplementation(
      async (key) =>
        [...rows.values()].find((f) => f.dedupeKey === key && f.status !== 'resolved' && f.status !== 'dismissed') ??
        null,
    );
    repo.save.mockImplementation(async (f) => (rows.set(f.id, f), f));
    repo.pullForwardTransient.mockResolvedValue(0);
  });

  const seed = (overrides: Partial<SyncFailureEntity> = {}) => {
    const failure = factory.syncFailure(overrides);
    rows.set(failure.id, failure);
    return failure;
  };

  it('has a retry schedule of more than one step (the tests below rely on it)', () => {
    expect(delays.length).toBeGreaterThan(1);
  });

  describe('record', () => {
    it('opens a new failure due for its first automatic retry after the first delay', async () => {
      const saved = await t.sut.record(input());
      expect(saved).toMatchObject({
        status: 'open',
        attempts: 1,
        autoRetries: 0,
        nextRetryAt: T0 + delays[0],
        id: 'id-1',
      });
      const counter = await t.metrics.registry.getSingleMetric('kwaizan_sync_failures_recorded_total')!.get();
      expect(counter.values).toEqual([
        expect.objectContaining({ value: 1, labels: { context: 'inventory', code: 'TEMPORARY' } }),
      ]);
    });

    it('schedules no automatic retry for a failure that retrying cannot help, nor for one with nothing to replay', async () => {
      expect((await t.sut.record(input({ retryable: false }))).nextRetryAt).toBeNull();
      expect((await t.sut.record(input({ replay: null }))).nextRetryAt).toBeNull();
    });

    it('counts a repeat of an open failure on the same row and keeps its scheduled retry where it was', async () => {
      const first = await t.sut.record(input({ dedupeKey: 'k', attempts: 2 }));
      t.clock.advance(30_000);
      const again = await t.sut.record(input({ dedupeKey: 'k', errorCode: 'RATE_LIMITED', reason: 'slow down' }));
      expect(again.id).toBe(first.id);
      expect(again).toMatchObject({
        attempts: 3,
        errorCode: 'RATE_LIMITED',
        reason: 'slow down',
        nextRetryAt: T0 + delays[0],
        lastAttemptAt: T0 + 30_000,
      });
      expect(rows.size).toBe(1);
    });

    it('reopens a failure that was being retried and schedules it from the retries already run', async () => {
      seed({ status: 'retrying', dedupeKey: 'k', autoRetries: 1, nextRetryAt: null });
      const saved = await t.sut.record(input({ dedupeKey: 'k' }));
      expect(saved).toMatchObject({ id: 'failure-1', status: 'open', attempts: 2, nextRetryAt: T0 + delays[1] });
    });

    it('keeps the replay of the earlier record when a repeat brings none', async () => {
      seed({ dedupeKey: 'k', replay: { kind: 'x', data: 1 } });
      expect((await t.sut.record(input({ dedupeKey: 'k', replay: undefined }))).replay).toEqual({ kind: 'x', data: 1 });
    });

    it('shortens a reason longer than 4000 characters', async () => {
      const saved = await t.sut.record(input({ reason: 'x'.repeat(5000) }));
      expect(saved.reason).toHaveLength(4000);
      expect(saved.reason.endsWith('…')).toBe(true);
    });
  });

  describe('resolveByDedupeKey', () => {
    it('closes the open failure and pulls the platform’s other transient failures forward', async () => {
      seed({ dedupeKey: 'k' });
      await t.sut.resolveByDedupeKey('k', 'fixed');
      expect(rows.get('failure-1')).toMatchObject({
        status: 'resolved',
        closedNote: 'fixed',
        closedAt: T0,
        nextRetryAt: null,
        dedupeKey: null,
      });
      expect(repo.pullForwardTransient).toHaveBeenCalledWith(
        'kuaishou',
        expect.arrayContaining(['TEMPORARY', 'RATE_LIMITED']),
        T0,
        'failure-1',
      );
    });

    it('does nothing when no failure is open under the key', async () => {
      await t.sut.resolveByDedupeKey('missing');
      expect(repo.save).not.toHaveBeenCalled();
      expect(repo.pullForwardTransient).not.toHaveBeenCalled();
    });
  });

  describe('retry', () => {
    it.each(['resolved', 'dismissed'] as const)('refuses a %s failure', async (status) => {
      seed({ status });
      await expect(t.sut.retry('failure-1')).rejects.toMatchObject({ code: 'FAILURE_CLOSED', kind: 'conflict' });
    });

    it('refuses a failure with nothing to replay', async () => {
      seed({ replay: null });
      await expect(t.sut.retry('failure-1')).rejects.toMatchObject({ code: 'FAILURE_NOT_REPLAYABLE' });
    });

    it('refuses when the failure was closed while it was being claimed', async () => {
      seed();
      repo.lockById.mockResolvedValueOnce(factory.syncFailure({ status: 'resolved' }));
      await expect(t.sut.retry('failure-1')).rejects.toMatchObject({ code: 'FAILURE_BUSY' });
    });

    it('answers not found for an unknown id', async () => {
      await expect(t.sut.retry('nope')).rejects.toMatchObject({ code: 'FAILURE_NOT_FOUND', kind: 'not_found' });
    });

    it('resolves the failure when the replay succeeds, and tells the platform’s other failures', async () => {
      const seen: unknown[] = [];
      t.sut.registerReplayHandler(
        'inventory.stock-write',
        async (data, failure) => void seen.push(data, failure.status),
      );
      seed();
      const settled = await t.sut.retry('failure-1');
      expect(seen).toEqual([{ merchantSkuId: 'sku-1' }, 'retrying']);
      expect(settled).toMatchObject({
        status: 'resolved',
        closedNote: 'retry succeeded',
        attempts: 2,
        autoRetries: 1,
        nextRetryAt: null,
      });
      expect(repo.pullForwardTransient).toHaveBeenCalledWith('kuaishou', expect.any(Array), T0, 'failure-1');
    });

    it('keeps the failure open with the new error when the handler says it did not succeed', async () => {
      t.sut.registerReplayHandler('inventory.stock-write', async () => ({
        confirmed: false,
        errorCode: 'NOT_FOUND',
        reason: 'item gone',
        retryable: false,
      }));
      seed({ platformCode: '404' });
      const settled = await t.sut.retry('failure-1');
      expect(settled).toMatchObject({
        status: 'open',
        errorCode: 'NOT_FOUND',
        reason: 'item gone',
        platformCode: '404',
        nextRetryAt: null,
      });
      expect(repo.pullForwardTransient).not.toHaveBeenCalled();
    });

    it('backs off along the schedule after a failed retry, repeating its last delay', async () => {
      t.sut.registerReplayHandler('inventory.stock-write', async () => ({
        confirmed: false,
        errorCode: 'TEMPORARY',
        reason: 'still down',
      }));
      seed();
      expect((await t.sut.retry('failure-1')).nextRetryAt).toBe(T0 + delays[1]);
      seed({ autoRetries: delays.length + 3 });
      expect((await t.sut.retry('failure-1')).nextRetryAt).toBe(T0 + delays[delays.length - 1]);
    });

    it('records a thrown error as INTERNAL unless a registered mapper names it', async () => {
      t.sut.registerReplayHandler('inventory.stock-write', async () => {
        throw new Error('boom');
      });
      seed();
      expect(await t.sut.retry('failure-1')).toMatchObject({ status: 'open', errorCode: 'INTERNAL', reason: 'boom' });

      t.sut.registerErrorMapper((error) =>
        error instanceof Error && error.message === 'boom'
          ? { errorCode: 'RATE_LIMITED', reason: 'mapped', platformCode: '429' }
          : undefined,
      );
      seed();
      expect(await t.sut.retry('failure-1')).toMatchObject({
        errorCode: 'RATE_LIMITED',
        reason: 'mapped',
        platformCode: '429',
      });
    });

    it('parks a failure whose replay kind has no handler, with no further automatic retry', async () => {
      seed();
      expect(await t.sut.retry('failure-1')).toMatchObject({
        status: 'open',
        errorCode: 'INTERNAL',
        nextRetryAt: null,
        reason: 'no replay handler for inventory.stock-write',
      });
    });

    it('believes the owner that recorded the same failure again during the replay over a success answer', async () => {
      t.sut.registerReplayHandler('inventory.stock-write', async (_data, failure) => {
        rows.set(failure.id, { ...failure, status: 'open', attempts: 5 } as SyncFailureEntity);
        return { confirmed: true };
      });
      seed();
      const settled = await t.sut.retry('failure-1');
      expect(settled).toMatchObject({ status: 'open', attempts: 5, autoRetries: 1, nextRetryAt: T0 + delays[1] });
    });

    it('leaves a failure that its owner closed during the replay closed', async () => {
      t.sut.registerReplayHandler('inventory.stock-write', async (_data, failure) => {
        rows.set(failure.id, { ...failure, status: 'resolved', closedNote: 'owner' } as SyncFailureEntity);
        return { confirmed: false, errorCode: 'TEMPORARY', reason: 'late answer' };
      });
      seed();
      expect(await t.sut.retry('failure-1')).toMatchObject({ status: 'resolved', closedNote: 'owner', autoRetries: 1 });
    });
  });

  describe('registerReplayHandler', () => {
    it('refuses a second handler for the same kind', () => {
      t.sut.registerReplayHandler('k', async () => undefined);
      expect(() => t.sut.registerReplayHandler('k', async () => undefined)).toThrow('registered twice');
    });
  });

  describe('dismiss', () => {
    it('closes an open failure with the ops note', async () => {
      seed();
      expect(await t.sut.dismiss('failure-1', 'handled by hand')).toMatchObject({
        status: 'dismissed',
        closedNote: 'handled by hand',
        nextRetryAt: null,
      });
    });

    it('refuses a failure that is already closed, and an unknown one', async () => {
      seed({ status: 'resolved' });
      await expect(t.sut.dismiss('failure-1')).rejects.toMatchObject({ code: 'FAILURE_CLOSED' });
      await expect(t.sut.dismiss('nope')).rejects.toMatchObject({ code: 'FAILURE_NOT_FOUND' });
    });
  });
});
