import { Inject, Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { IDLE_MS } from '../demand';
import { InventoryRepository } from '../inventory.repository';
import { StockLedgerService } from '../stock-ledger.service';

/**
 * Drift reconciliation and write settlement are enqueued here (keyed by SKU, so they run in the
 * SKU's one writer); the work happens in the stock-changed consumer.
 */
@Injectable()
export class StockReconcileJob {
  constructor(
    private readonly repo: InventoryRepository,
    private readonly ledger: StockLedgerService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('stock-reconcile', { cron: CronExpression.EVERY_30_MINUTES, periodMs: 1_800_000 })
  async enqueueReconciliation(): Promise<number> {
    let count = 0;
    let after = '';
    for (;;) {
      const ids = await this.repo.managedSkuIds(200, after);
      if (!ids.length) return count;
      const now = this.clock.now();
      await this.db.transaction(async () => {
        for (const id of ids) await this.ledger.announce(id, 'reconcile', now, true);
      });
      count += ids.length;
      after = ids[ids.length - 1];
    }
  }

  /**
   * Writes still unsettled after a while (the writer crashed), triggers deferred to a writer that
   * died, read-backs waiting for the order feed: run those SKUs' writer.
   */
  @ScheduledJob('stock-settle', { everyMs: 60_000 })
  async enqueueSettlement(): Promise<number> {
    const now0 = this.clock.now();
    const ids = [
      ...new Set([
        ...(await this.repo.skusWithUnsettledOps(now0 - 30_000, 200)),
        ...(await this.repo.skusAwaitingWriter(now0, 200)),
      ]),
    ];
    if (!ids.length) return 0;
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const id of ids) await this.ledger.announce(id, 'settle', now);
    });
    return ids.length;
  }

  /**
   * Triggers deferred to a writer whose lease lapsed (its process died): soon, not at the next
   * settle round, so a crash mid-run costs its SKUs seconds, not a minute.
   */
  @ScheduledJob('stock-orphaned-triggers', { everyMs: 5_000 })
  async enqueueOrphanedTriggers(): Promise<number> {
    const ids = await this.repo.skusAwaitingWriter(this.clock.now(), 200, false);
    if (!ids.length) return 0;
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const id of ids) await this.ledger.announce(id, 'settle', now);
    });
    return ids.length;
  }

  /**
   * Scarce units left on a platform whose buyers are gone while the other platform sells out:
   * re-plan those SKUs (moving units is decrease-first, so this can only cost a sale, never oversell).
   */
  @ScheduledJob('stock-rebalance', { everyMs: 5_000 })
  async enqueueRebalance(): Promise<number> {
    const now0 = this.clock.now();
    const ids = await this.repo.stranded(now0 - 60_000, now0 - IDLE_MS, 200);
    if (!ids.length) return 0;
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const id of ids) await this.ledger.announce(id, 'rebalance', now);
    });
    return ids.length;
  }

  /** Demand weights follow recent sales: halve them every hour. */
  @ScheduledJob('stock-demand-decay', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 }, { transactional: true })
  async decayDemand(): Promise<void> {
    await this.repo.halveRecentSales();
  }
}
