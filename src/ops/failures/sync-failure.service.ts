import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ConflictDomainException, DomainException, NotFoundDomainException } from '@app/common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { MetricsService } from '../metrics/metrics.service';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { SyncFailureActionEntity, SyncFailureActionKind } from './sync-failure-action.entity';
import { ReplaySpec, SyncFailureEntity, SyncFailureStatus } from './sync-failure.entity';
import { FailureFilter, SyncFailureRepository } from './sync-failure.repository';
import { METRICS } from '@app/ops/metrics/metric-names';

export interface RecordFailureInput {
  context: string;
  operation: string;
  errorCode: string;
  reason: string;
  platform?: string | null;
  shopRef?: string | null;
  /** The merchant concerned, when the operation knows it. */
  merchantId?: string | null;
  entityType?: string | null;
  entityRef?: string | null;
  platformCode?: string | null;
  platformMessage?: string | null;
  replay?: ReplaySpec | null;
  /** Failures sharing this key while open are one row with a growing attempt count. */
  dedupeKey?: string;
  /** Attempts already spent before the record was written (e.g. consumer retries). */
  attempts?: number;
  /** False when retrying cannot help (e.g. a malformed message): no automatic retry is scheduled. */
  retryable?: boolean;
}

/**
 * Runs a failed operation again. Throw, or return `{ confirmed: false }`, when it did not succeed.
 * An owner that records its own failures (same dedupe key) and resolves them on success is
 * believed over the return value: a re-recorded failure stays open, a resolved one is closed.
 */
export type ReplayHandler = (data: unknown, failure: SyncFailureEntity) => Promise<void | ReplayOutcome>;

export type ReplayOutcome =
  { confirmed: true } | { confirmed: false; errorCode: string; reason: string; retryable?: boolean };

/** Who acted in the console; written into the audit with every action. */
export interface FailureActor {
  userId: string;
  email: string;
}

export interface RetryOutcomeError {
  errorCode: string;
  reason: string;
  platformCode?: string | null;
  platformMessage?: string | null;
  retryable?: boolean;
}

/** Error codes of failures that an outage explains: when the platform answers again, they are retried at once. */
const TRANSIENT_CODES = ['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN', 'OUTCOME_UNKNOWN', 'INTERNAL'];

/**
 * Any context records a failed operation here instead of dropping it. A replay handler,
 * registered by the context that owns the operation, is what "retry" runs.
 */
@Injectable()
export class SyncFailureService {
  private readonly logger = new Logger(SyncFailureService.name);
  private readonly handlers = new Map<string, ReplayHandler>();
  private readonly errorMappers: ((error: unknown) => RetryOutcomeError | undefined)[] = [];
  private readonly recordedListeners: ((failure: SyncFailureEntity) => Promise<void>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly repo: SyncFailureRepository,
    private readonly metrics: MetricsService,
    private readonly settings: OpsSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  registerReplayHandler(kind: string, handler: ReplayHandler): void {
    if (this.handlers.has(kind)) throw new Error(`replay handler ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  /** Runs after a recorded failure is committed (alerts count open failures); a listener's error is logged only. */
  onRecorded(listener: (failure: SyncFailureEntity) => Promise<void>): void {
    this.recordedListeners.push(listener);
  }

  /** Lets a context turn its own errors into failure codes for retries it runs. */
  registerErrorMapper(mapper: (error: unknown) => RetryOutcomeError | undefined): void {
    this.errorMappers.push(mapper);
  }

  async record(input: RecordFailureInput): Promise<SyncFailureEntity> {
    const { failureRetryDelaysMs: delays } = await this.settings.current();
    const saved = await this.db.transaction(async () => {
      const now = this.clock.now();
      const existing = input.dedupeKey ? await this.repo.lockOpenByDedupeKey(input.dedupeKey) : null;
      const failure = existing ?? this.newFailure(input, now);
      if (existing) {
        failure.attempts += Math.max(1, input.attempts ?? 1);
        failure.status = 'open';
        failure.merchantId = failure.merchantId ?? input.merchantId ?? null;
      }
      failure.errorCode = input.errorCode;
      failure.reason = truncate(input.reason, 4000);
      failure.platformCode = input.platformCode ?? null;
      failure.platformMessage = input.platformMessage ? truncate(input.platformMessage, 4000) : null;
      failure.replay = input.replay ?? failure.replay ?? null;
      failure.updatedAt = now;
      failure.lastAttemptAt = now;
      // The live flow failing again must not push the automatic retry further out.
      const scheduled = existing?.status === 'open' ? existing.nextRetryAt : null;
      failure.nextRetryAt =
        input.retryable === false || !failure.replay
          ? null
          : (scheduled ?? nextRetryAt(delays, failure.autoRetries, now));
      return this.repo.save(failure);
    });
    this.metrics.counter(METRICS.syncFailuresRecordedTotal).inc({ context: saved.context, code: saved.errorCode });
    this.logger.warn(
      {
        failureId: saved.id,
        context: saved.context,
        operation: saved.operation,
        code: saved.errorCode,
        entityRef: saved.entityRef,
      },
      `sync failure: ${saved.reason}`,
    );
    if (this.recordedListeners.length) this.db.afterCommit(() => void this.notifyRecorded(saved));
    return saved;
  }

  /** Closes the open failure of an operation that has since succeeded on its own. */
  async resolveByDedupeKey(dedupeKey: string, note = 'succeeded later'): Promise<void> {
    const closed = await this.db.transaction(async () => {
      const failure = await this.repo.lockOpenByDedupeKey(dedupeKey);
      return failure ? this.close(failure, 'resolved', note) : undefined;
    });
    if (closed?.platform) await this.platformRecovered(closed.platform, closed.id);
  }

  async get(id: string): Promise<SyncFailureEntity> {
    const failure = await this.repo.findById(id);
    if (!failure) throw new NotFoundDomainException('FAILURE_NOT_FOUND', `no sync failure ${id}`);
    return failure;
  }

  list(filter: FailureFilter, page: number, pageSize: number): Promise<[SyncFailureEntity[], number]> {
    return this.repo.page(filter, (page - 1) * pageSize, pageSize);
  }

  countByStatus(): Promise<Record<string, number>> {
    return this.repo.countByStatus();
  }

  /** Failures opened since `since` that are still open: of one merchant, or of all when `merchantId` is null. */
  countOpenCreatedSince(since: number, merchantId: string | null): Promise<number> {
    return this.repo.countOpenCreatedSince(since, merchantId);
  }

  /** Failures opened since `since` that are still open, per merchant that has any. */
  openCountsByMerchantSince(since: number): Promise<{ merchantId: string; n: number }[]> {
    return this.repo.openCountsByMerchantSince(since);
  }

  /** Open failures per platform and shop reference (a shop id or a connection id, as the recording context had it). */
  openCountsByShop(): Promise<{ platform: string | null; shopRef: string | null; n: number }[]> {
    return this.repo.openCountsByShop();
  }

  private async notifyRecorded(failure: SyncFailureEntity): Promise<void> {
    for (const listener of this.recordedListeners) {
      try {
        await listener(failure);
      } catch (error) {
        this.logger.error(`after recording failure ${failure.id}: ${(error as Error).message}`);
      }
    }
  }

  dueForRetry(limit = 100): Promise<SyncFailureEntity[]> {
    return this.repo.dueForRetry(this.clock.now(), limit);
  }

  /** Marks a due failure as being retried; false when someone else took it first. */
  async claimForRetry(id: string, allowedFrom: SyncFailureStatus[] = ['open']): Promise<SyncFailureEntity | undefined> {
    return this.db.transaction(async () => {
      const failure = await this.repo.lockById(id);
      if (!failure || !allowedFrom.includes(failure.status)) return undefined;
      failure.status = 'retrying';
      failure.updatedAt = this.clock.now();
      return this.repo.save(failure);
    });
  }

  /** Runs the failed operation again now; the record ends resolved, or open with the new error. */
  async retry(id: string): Promise<SyncFailureEntity> {
    const current = await this.get(id);
    if (current.status === 'resolved' || current.status === 'dismissed') {
      throw new ConflictDomainException('FAILURE_CLOSED', `sync failure ${id} is already ${current.status}`);
    }
    if (!current.replay)
      throw new ConflictDomainException(
        'FAILURE_NOT_REPLAYABLE',
        `sync failure ${id} has nothing to replay; dismiss it once handled`,
      );
    const claimed = await this.claimForRetry(id, ['open', 'retrying']);
    if (!claimed) throw new ConflictDomainException('FAILURE_BUSY', `sync failure ${id} changed while claiming it`);
    return this.runReplay(claimed);
  }

  async runReplay(failure: SyncFailureEntity): Promise<SyncFailureEntity> {
    const handler = this.handlers.get(failure.replay!.kind);
    let outcome: RetryOutcomeError | undefined;
    if (!handler) {
      outcome = { errorCode: 'INTERNAL', reason: `no replay handler for ${failure.replay!.kind}`, retryable: false };
    } else {
      try {
        const result = await handler(failure.replay!.data, failure);
        if (result && !result.confirmed)
          outcome = { errorCode: result.errorCode, reason: result.reason, retryable: result.retryable };
      } catch (error) {
        outcome = this.describe(error);
      }
    }
    const { failureRetryDelaysMs: delays } = await this.settings.current();
    const settled = await this.db.transaction(async () => {
      const locked = (await this.repo.lockById(failure.id))!;
      const now = this.clock.now();
      locked.autoRetries += 1;
      // The owner closed it (the operation succeeded during the replay): nothing to add.
      if (locked.status === 'resolved' || locked.status === 'dismissed') return this.repo.save(locked);
      // The owner recorded the same failure again during the replay: it failed, whatever the handler returned.
      if (locked.status === 'open') {
        locked.nextRetryAt = locked.nextRetryAt === null ? null : nextRetryAt(delays, locked.autoRetries, now);
        return this.repo.save(locked);
      }
      locked.attempts += 1;
      locked.lastAttemptAt = now;
      if (!outcome) return this.close(locked, 'resolved', 'retry succeeded');
      locked.status = 'open';
      locked.errorCode = outcome.errorCode;
      locked.reason = truncate(outcome.reason, 4000);
      locked.platformCode = outcome.platformCode ?? locked.platformCode;
      locked.platformMessage = outcome.platformMessage ?? locked.platformMessage;
      locked.nextRetryAt = outcome.retryable === false ? null : nextRetryAt(delays, locked.autoRetries, now);
      locked.updatedAt = now;
      return this.repo.save(locked);
    });
    if (settled.status === 'resolved' && settled.platform) await this.platformRecovered(settled.platform, settled.id);
    return settled;
  }

  /**
   * A retried operation on this platform succeeded, so an outage is over: the open failures that
   * it explains are due now instead of at their backed-off time.
   */
  async platformRecovered(platform: string, exceptId?: string): Promise<number> {
    const pulled = await this.repo.pullForwardTransient(platform, TRANSIENT_CODES, this.clock.now(), exceptId);
    if (pulled > 0) this.logger.log(`${platform} answers again: ${pulled} open failures retried now`);
    return pulled;
  }

  /**
   * Runs a failure's operation again whatever its state: a resolved or dismissed failure is
   * reopened for the run (e.g. the platform lost a write that had been confirmed).
   */
  async replay(id: string): Promise<SyncFailureEntity> {
    const current = await this.get(id);
    if (!current.replay)
      throw new ConflictDomainException('FAILURE_NOT_REPLAYABLE', `sync failure ${id} has nothing to replay`);
    const claimed = await this.db.transaction(async () => {
      const failure = await this.repo.lockById(id);
      if (!failure || failure.status === 'retrying') return undefined;
      failure.status = 'retrying';
      failure.closedAt = null;
      failure.closedNote = null;
      failure.updatedAt = this.clock.now();
      return this.repo.save(failure);
    });
    if (!claimed) throw new ConflictDomainException('FAILURE_BUSY', `sync failure ${id} is being retried already`);
    return this.runReplay(claimed);
  }

  /**
   * Retry, replay or dismiss each failure in turn, writing one audit row per failure (who, when,
   * the note, what came of it) under one batch id. A failure that cannot take the action is left
   * as it was and its row says why; the others still run.
   */
  async act(
    actor: FailureActor,
    action: SyncFailureActionKind,
    ids: string[],
    note?: string,
  ): Promise<{ batchId: string; actions: SyncFailureActionEntity[] }> {
    const batchId = this.ids.uuid();
    const cleanNote = note?.trim() ? note.trim().slice(0, 500) : null;
    const actions: SyncFailureActionEntity[] = [];
    for (const id of [...new Set(ids)]) {
      const row = new SyncFailureActionEntity();
      row.id = this.ids.uuid();
      row.batchId = batchId;
      row.failureId = id;
      row.action = action;
      row.actorId = actor.userId;
      row.actorEmail = actor.email;
      row.note = cleanNote;
      try {
        const after =
          action === 'retry'
            ? await this.retry(id)
            : action === 'replay'
              ? await this.replay(id)
              : await this.dismiss(id, `${actor.email}: ${cleanNote ?? 'dismissed by ops'}`);
        row.outcome = 'done';
        row.statusAfter = after.status;
        row.detail = after.status === 'open' ? `${after.errorCode}: ${truncate(after.reason, 900)}` : null;
      } catch (error) {
        if (!(error instanceof DomainException)) throw error;
        row.outcome = 'refused';
        row.statusAfter = (await this.repo.findById(id))?.status ?? null;
        row.detail = `${error.code}: ${error.message}`;
      }
      row.createdAt = this.clock.now();
      actions.push(await this.repo.saveAction(row));
    }
    return { batchId, actions };
  }

  actionsOfBatch(batchId: string): Promise<SyncFailureActionEntity[]> {
    return this.repo.actionsOfBatch(batchId);
  }

  actionsOf(failureId: string): Promise<SyncFailureActionEntity[]> {
    return this.repo.actionsOfFailure(failureId);
  }

  findByIds(ids: string[]): Promise<SyncFailureEntity[]> {
    return this.repo.findByIds(ids);
  }

  async dismiss(id: string, note?: string): Promise<SyncFailureEntity> {
    return this.db.transaction(async () => {
      const failure = await this.repo.lockById(id);
      if (!failure) throw new NotFoundDomainException('FAILURE_NOT_FOUND', `no sync failure ${id}`);
      if (failure.status === 'resolved' || failure.status === 'dismissed') {
        throw new ConflictDomainException('FAILURE_CLOSED', `sync failure ${id} is already ${failure.status}`);
      }
      return this.close(failure, 'dismissed', note ?? 'dismissed by ops');
    });
  }

  private async close(
    failure: SyncFailureEntity,
    status: 'resolved' | 'dismissed',
    note: string,
  ): Promise<SyncFailureEntity> {
    const now = this.clock.now();
    failure.status = status;
    failure.closedAt = now;
    failure.closedNote = note.slice(0, 500);
    failure.updatedAt = now;
    failure.nextRetryAt = null;
    failure.dedupeKey = null;
    this.metrics.counter(METRICS.syncFailuresClosedTotal).inc({ status });
    return this.repo.save(failure);
  }

  private describe(error: unknown): RetryOutcomeError {
    for (const mapper of this.errorMappers) {
      const mapped = mapper(error);
      if (mapped) return mapped;
    }
    return { errorCode: 'INTERNAL', reason: error instanceof Error ? error.message : String(error) };
  }

  private newFailure(input: RecordFailureInput, now: number): SyncFailureEntity {
    const failure = new SyncFailureEntity();
    failure.id = this.ids.uuid();
    failure.context = input.context;
    failure.operation = input.operation;
    failure.platform = input.platform ?? null;
    failure.shopRef = input.shopRef ?? null;
    failure.merchantId = input.merchantId ?? null;
    failure.entityType = input.entityType ?? null;
    failure.entityRef = input.entityRef ?? null;
    failure.attempts = Math.max(1, input.attempts ?? 1);
    failure.autoRetries = 0;
    failure.status = 'open';
    failure.dedupeKey = input.dedupeKey ?? null;
    failure.createdAt = now;
    failure.closedAt = null;
    failure.closedNote = null;
    return failure;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The schedule (ops settings) follows the retries already run; its last delay repeats, so a retryable failure is never abandoned. */
function nextRetryAt(delays: number[], retries: number, now: number): number {
  return now + delays[Math.min(retries, delays.length - 1)];
}
