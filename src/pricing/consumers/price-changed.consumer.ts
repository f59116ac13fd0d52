import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { priceChangedTopic } from '@app/messaging/contracts/price-changed/price-changed.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { PRICING_SKU_REPLAY, PriceWriterService } from '../price-writer.service';

/** The price writer: one per merchant SKU (the topic is keyed by merchant SKU). */
@Injectable()
export class PriceChangedConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly writer: PriceWriterService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      priceChangedTopic,
      'pricing.price-writer',
      (p) =>
        p.reason === 'audit' || !p.targets
          ? this.writer.audit(p.merchantSkuId)
          : this.writer.apply(p.merchantSkuId, { ...p, reason: p.reason, targets: p.targets }),
      { transactional: false },
    );
    this.failures.registerReplayHandler(PRICING_SKU_REPLAY, async (data) => {
      await this.writer.audit((data as { merchantSkuId: string }).merchantSkuId);
    });
  }
}
