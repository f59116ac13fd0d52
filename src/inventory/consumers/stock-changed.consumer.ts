import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '../../messaging/consumer/consumer.registry';
import { stockChangedTopic } from '../../messaging/contracts/stock-changed/stock-changed.contract';
import { SyncFailureService } from '../../ops/failures/sync-failure.service';
import { isPlatformError } from '../../platforms/platform-error';
import { INVENTORY_SYNC_REPLAY, StockSyncService } from '../stock-sync.service';

/** The stock writer: one per SKU (the topic is keyed by merchant SKU). */
@Injectable()
export class StockChangedConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly sync: StockSyncService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(stockChangedTopic, 'inventory.stock-writer', (p, event) => this.sync.sync(p.merchantSkuId, { triggerAt: p.triggerAt, reconcile: p.reconcile, reason: p.reason, seq: event.seq }), {
      transactional: false,
      describe: (error) => (isPlatformError(error) ? { errorCode: error.code, platform: error.platform, platformCode: error.rawCode, platformMessage: error.rawMessage } : undefined),
    });
    this.failures.registerReplayHandler(INVENTORY_SYNC_REPLAY, async (data) => {
      await this.sync.sync((data as { merchantSkuId: string }).merchantSkuId, { triggerAt: Date.now(), reconcile: true });
    });
  }
}
