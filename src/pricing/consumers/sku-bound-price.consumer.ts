import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { skuBoundTopic } from '@app/messaging/contracts/sku-bound/sku-bound.contract';
import { PriceWriterService } from '../price-writer.service';

/** A new binding: the listing's price is observed now and brought into line (ERP price, or the limit). */
@Injectable()
export class SkuBoundPriceConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly writer: PriceWriterService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(skuBoundTopic, 'pricing.sku-bound', (p) => this.writer.bound(p.merchantSkuId), {
      transactional: false,
    });
  }
}
