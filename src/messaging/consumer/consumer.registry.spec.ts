import { Clock } from '@app/common/clock';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { RecordFailureInput, RetryOutcomeError, SyncFailureService } from '@app/ops/failures/sync-failure.service';
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
  const bus = { subscribe: (s: EventSubscription) => subscriptions.push(s) } as unknown as EventBus;
  const db = { transaction: <T>(work: () => Promise<T>) => work() } as unknown as Db;
  const inbox = {
    claim: async (_consumer: string, _id: string, outcome: InboxOutcome) => (claims.push(outcome), true),
    find: async () => undefined,
  } as unknown as InboxRepository;
  const failures = {
    registerReplayHandler: () => undefined,
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
  return { registry, subscriptions, recorded, claims, mappers };
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
});
