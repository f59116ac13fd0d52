import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { skuBoundTopic } from '@app/messaging/contracts/sku-bound/sku-bound.contract';
import { ORDER_SYNC, OrderSyncPort } from '../order-sync.port';
import { StockLedgerService } from '../stock-ledger.service';

/** A new binding: earlier order lines of that platform SKU get their holds, then the platform is read. */
@Injectable()
export class SkuBoundConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly bindings: SkuBindingService,
    private readonly ledger: StockLedgerService,
    @Inject(ORDER_SYNC) private readonly orders: OrderSyncPort,
  ) {}

  onModuleInit(): void {
    this.consumers.register(skuBoundTopic, 'inventory.sku-bound', async ({ bindingId }) => {
      const binding = await this.bindings.findById(bindingId);
      if (!binding) return;
      await this.orders.attachUnboundLines(binding);
      await this.ledger.bindingAdded(binding.id, binding.merchantSkuId, binding.platform);
    });
  }
}
