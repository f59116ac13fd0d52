import { Clock } from '@app/common/clock';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import {
  RecordFailureInput,
  ReplayHandler,
  RetryOutcomeError,
  SyncFailureService,
} from '@app/ops/failures/sync-failure.service';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { describePlatformFailure, failureDisposition } from '@app/platforms/failure-policy';
import { PlatformError, PlatformErrorCode } from '@app/platforms/platform-error';
import { orderPollRequestedTopic } from '../contracts/order-poll-requested/order-poll-requested.contract';
import { EventEnvelope } from '../event-envelope';
import { EventBus, EventSubscription } from '../event-bus.port';
import { InboxOutcome } from '../inbox/inbox-message.entity';
import { InboxRepository } from '../inbox/inbox.repository';
import { ConsumerRegistry } from './consumer.registry';

const MAX_ATTEMPTS = 3;

function setup({ withPolicy = true }: { withPolicy?: boolean } = {}) {
  const subscriptions: EventSubscription[] = [];
  const recorded: RecordFailureInput[] = [];
  const claims: InboxOutcome[] = [];
  const mappers: ((error: unknown) => RetryOutcomeError | undefined)[] = [];
  const replays = new Map<string, ReplayHandler>();
  const bus = { subscribe: (s: EventSubscription) => subscriptions.push(s) } as unknown as EventBus;
  const db = { transaction: <T>(work: () => Promise<T>) => work() } as unknown as Db;
  const inbox = {
    claim: async (_consumer: string, _id: string, outcome: InboxOutcome) => (claims.push(outcome), true),
    find: async () => undefined,
  } as unknown as InboxRepository;
  const failures = {
    registerReplayHandler: (kind: string, handler: ReplayHandler) => replays.set(kind, handler),
    registerErrorMapper: (mapper: (error: unknown) => RetryOutcomeError | undefined) => mappers.push(mapper),
    record: async (input: RecordFailureInput) => recorded.push(input),
  } as unknown as SyncFailureService;
  const messaging = { maxAttempts: MAX_ATTEMPTS, retryWindowMs: 0, retryBaseMs: 1, retryMaxDelayMs: 2 };
  const config = { messaging } as unknown as AppConfig;
  const metric = { inc: () => undefined, observe: () => undefined };
  const metrics = { counter: () => metric, histogram: () => metric } as unknown as MetricsService;
  const clock: Clock = { now: () => Date.now() } as Clock;
  const registry = new ConsumerRegistry(bus, db, inbox, failures, config, metrics, clock);
  if (withPolicy) registry.useFailurePolicy({ dispositionOf: failureDisposition, describe: describePlatformFailure });
  return { registry, subscriptions, recorded, claims, mappers, replays };
}

const event: EventEnvelope = {
  id: 'ev-1',
  topic: orderPollRequestedTopic.name,
  key: 'conn-1',
  seq: 1,
  type: 'OrderPollRequested',
  payload: { connectionId: '0b3f4a2e-8c1d-4f6a-9b7e-2d5c8a1f3e60', reason: 'schedule' },
  occurredAt: 0,
};

const platformError = (code: PlatformErrorCode) =>
  new PlatformError({
    platform: 'youzan',
    api: 'youzan.trades.sold.get',
    code,
    message: `${code} happened`,
    rawCode: 'r1',
    rawMessage: 'raw',
  });

/** Runs one delivery whose handler always throws `error`; returns how often the handler ran. */
async function deliverFailing(error: unknown) {
  const s = setup();
  let calls = 0;
  // Not transactional: this fake database has no rollback to undo a claim made inside the handler's transaction.
  const options = { transactional: false };
  s.registry.register(
    orderPollRequestedTopic,
    'test.consumer',
    async () => {
      calls++;
      throw error;
    },
    options,
  );
  await s.subscriptions[0].deliver(event);
  return { ...s, calls };
}

describe(ConsumerRegistry.name, () => {
  it.each(['AUTH_REVOKED', 'INSUFFICIENT_SCOPE', 'INVALID_REQUEST'] as const)(
    'dead-letters a %s failure at once, not retried by itself, with the platform’s code',
    async (code) => {
      const { calls, recorded, claims } = await deliverFailing(platformError(code));
      expect(calls).toBe(1);
      expect(recorded).toEqual([
        expect.objectContaining({
          errorCode: code,
          platform: 'youzan',
          platformCode: 'r1',
          platformMessage: 'raw',
          retryable: false,
        }),
      ]);
      expect(claims).toEqual(['dead_lettered']);
    },
  );

  it.each(['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN', 'AUTH_EXPIRED', 'NOT_FOUND'] as const)(
    'retries a %s failure in the lane before dead-lettering it as retryable',
    async (code) => {
      const { calls, recorded } = await deliverFailing(platformError(code));
      expect(calls).toBe(MAX_ATTEMPTS);
      expect(recorded).toEqual([expect.objectContaining({ errorCode: code, retryable: true, attempts: MAX_ATTEMPTS })]);
    },
  );

  it('retries an error that is not a platform’s, and records it as INTERNAL', async () => {
    const { calls, recorded } = await deliverFailing(new Error('deadlock'));
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(recorded).toEqual([expect.objectContaining({ errorCode: 'INTERNAL', retryable: true })]);
  });

  it('parks an invalid payload without running the handler', async () => {
    const s = setup();
    let calls = 0;
    s.registry.register(orderPollRequestedTopic, 'test.consumer', async () => {
      calls++;
    });
    await s.subscriptions[0].deliver({ ...event, payload: { connectionId: 'not-a-uuid' } });
    expect(calls).toBe(0);
    expect(s.recorded).toEqual([expect.objectContaining({ errorCode: 'INVALID_MESSAGE', retryable: false })]);
  });

  it('retries every failure until the platforms module sets the failure policy', async () => {
    const s = setup({ withPolicy: false });
    s.registry.register(orderPollRequestedTopic, 'test.consumer', async () => {
      throw platformError('INVALID_REQUEST');
    });
    await s.subscriptions[0].deliver(event);
    expect(s.recorded).toEqual([expect.objectContaining({ errorCode: 'INTERNAL', retryable: true })]);
  });

  describe('replays run in the key’s lane', () => {
    /** A consumer whose handler records when each run starts and ends, and waits for `gate` before ending. */
    function laneSetup() {
      const s = setup();
      const log: string[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const gates: (() => void)[] = [];
      const work = async (label: string) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        log.push(`start ${label}`);
        await new Promise<void>((resolve) => gates.push(resolve));
        log.push(`end ${label}`);
        inFlight--;
      };
      s.registry.register(orderPollRequestedTopic, 'test.consumer', (p) => work(`live ${p.connectionId}`), {
        transactional: false,
      });
      s.registry.registerReplay(
        'test.consumer',
        'test.replay',
        (data) => (data as { key: string }).key,
        async (data) => work(`replay ${(data as { key: string }).key}`),
      );
      const replay = (key: string) => s.replays.get('test.replay')!({ key }, {} as never);
      const openGates = async () => {
        while (log.filter((l) => l.startsWith('end')).length < log.filter((l) => l.startsWith('start')).length) {
          await new Promise((r) => setImmediate(r));
          gates.shift()?.();
        }
      };
      return { ...s, log, replay, openGates, maxInFlight: () => maxInFlight };
    }

    it('a replay of a key waits for the live delivery of that key, and the next delivery waits for the replay', async () => {
      const s = laneSetup();
      const key = event.key;
      const connectionId = (event.payload as { connectionId: string }).connectionId;
      const live = s.subscriptions[0].deliver(event);
      await new Promise((r) => setImmediate(r));
      const replayed = s.replay(key);
      const next = s.subscriptions[0].deliver({ ...event, id: 'ev-2', seq: 2 });
      await s.openGates();
      await Promise.all([live, replayed, next]);
      expect(s.log).toEqual([
        `start live ${connectionId}`,
        `end live ${connectionId}`,
        `start replay ${key}`,
        `end replay ${key}`,
        `start live ${connectionId}`,
        `end live ${connectionId}`,
      ]);
      expect(s.maxInFlight()).toBe(1);
    });

    it('a replay of another key runs beside the live delivery', async () => {
      const s = laneSetup();
      const live = s.subscriptions[0].deliver(event);
      await new Promise((r) => setImmediate(r));
      const replayed = s.replay('conn-other');
      await new Promise((r) => setImmediate(r));
      expect(s.maxInFlight()).toBe(2);
      await s.openGates();
      await Promise.all([live, replayed]);
    });

    it('a failed replay does not block the lane', async () => {
      const s = setup();
      s.registry.registerReplay(
        'test.consumer',
        'test.fail',
        () => 'k',
        async () => {
          throw new Error('still failing');
        },
      );
      await expect(s.replays.get('test.fail')!({}, {} as never)).rejects.toThrow('still failing');
      let ran = false;
      await s.registry.lanes.run('test.consumer\u0000k', async () => {
        ran = true;
      });
      expect(ran).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(s.registry.lanes.size).toBe(0);
    });
  });
});
