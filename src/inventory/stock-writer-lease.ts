import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { stockChangedTopic } from '../messaging/contracts/stock-changed/stock-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { AppConfig } from '@app/config/app-config';
import { InventoryRepository } from './inventory.repository';
import { StockLedgerEntity } from './stock-ledger.entity';

/** The stock-writer lease of one run: every bookkeeping commit checks the token under the ledger lock. */
export interface Lease {
  merchantSkuId: string;
  holder: string;
  token: number;
}

/** A newer writer took the SKU over: this run's bookkeeping must not commit. */
export class WriterLeaseLostError extends Error {
  constructor(merchantSkuId: string) {
    super(`the stock-writer lease of SKU ${merchantSkuId} was taken over`);
    this.name = 'WriterLeaseLostError';
  }
}

/**
 * The per-SKU stock-writer lease: a fencing token on the ledger row. Taken at the start of a
 * writer run, checked (and renewed) by every bookkeeping commit, handed back at the end.
 */
@Injectable()
export class StockWriterLeases {
  constructor(
    private readonly db: Db,
    private readonly repo: InventoryRepository,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly config: AppConfig,
  ) {}

  get leaseMs(): number {
    return this.config.stock.writerLeaseMs;
  }

  /** Extends a live lease of this run (never revives one that lapsed or was taken over). */
  async renew(lease: Lease): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction((m) =>
      m.query(
        'UPDATE stock_ledger SET writer_until = ? WHERE merchant_sku_id = ? AND writer_token = ? AND writer_holder = ? AND writer_until > ?',
        [now + this.leaseMs, lease.merchantSkuId, lease.token, lease.holder, now],
      ),
    );
  }

  async acquire(merchantSkuId: string, reconcile: boolean): Promise<Lease | undefined> {
    const holder = this.ids.uuid();
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const ledger = await this.repo.lockLedger(merchantSkuId, now);
      if (ledger.writerHolder && ledger.writerUntil > now) {
        ledger.rerun = Math.max(ledger.rerun, reconcile ? 2 : 1);
        await this.repo.saveLedger(ledger);
        return undefined;
      }
      ledger.writerToken += 1;
      ledger.writerHolder = holder;
      ledger.writerUntil = now + this.leaseMs;
      // Triggers deferred to a holder that died are done by this run (a read-back as a round of its own).
      ledger.rerun = ledger.rerun === 2 && !reconcile ? 2 : 0;
      await this.repo.saveLedger(ledger);
      return { merchantSkuId, holder, token: ledger.writerToken };
    });
  }

  /** Takes the ledger lock as the lease holder (renewing the lease), or throws when fenced off. */
  async lockAsWriter(lease: Lease): Promise<StockLedgerEntity> {
    const now = this.clock.now();
    const ledger = await this.repo.lockLedger(lease.merchantSkuId, now);
    if (ledger.writerToken !== lease.token || ledger.writerHolder !== lease.holder)
      throw new WriterLeaseLostError(lease.merchantSkuId);
    ledger.writerUntil = now + this.leaseMs;
    await this.repo.saveLedger(ledger);
    return ledger;
  }

  /** Before letting go: a trigger deferred to us, a change newer than the plan, or a failed decrease to plan around, means one more run. */
  async releaseOrContinue(
    lease: Lease,
    seen: number,
    mayContinue: boolean,
    replan: boolean,
  ): Promise<{ reconcile: boolean } | undefined> {
    return this.db.transaction(async () => {
      const ledger = await this.lockAsWriter(lease);
      const newer = replan || (await this.outbox.currentSequence(stockChangedTopic, lease.merchantSkuId)) > seen;
      if (mayContinue && (ledger.rerun > 0 || newer)) {
        const reconcile = ledger.rerun === 2;
        ledger.rerun = 0;
        await this.repo.saveLedger(ledger);
        return { reconcile };
      }
      if (newer) ledger.rerun = Math.max(ledger.rerun, 1);
      ledger.writerHolder = null;
      ledger.writerUntil = 0;
      await this.repo.saveLedger(ledger);
      return undefined;
    });
  }

  async release(lease: Lease): Promise<void> {
    await this.db.transaction(async () => {
      const ledger = await this.repo.lockLedger(lease.merchantSkuId, this.clock.now());
      if (ledger.writerToken !== lease.token) return;
      ledger.writerHolder = null;
      ledger.writerUntil = 0;
      ledger.rerun = Math.max(ledger.rerun, 1);
      await this.repo.saveLedger(ledger);
    });
  }
}
