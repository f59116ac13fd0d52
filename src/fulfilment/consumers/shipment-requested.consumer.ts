import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { shipmentRequestedTopic } from '@app/messaging/contracts/shipment-requested/shipment-requested.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { FULFILMENT_SHIP_REPLAY, ShipmentWriterService } from '../shipment-writer.service';

/** The shipment writer: one per order (the topic is keyed by order). */
@Injectable()
export class ShipmentRequestedConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly writer: ShipmentWriterService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      shipmentRequestedTopic,
      'fulfilment.shipment-writer',
      async (p) => {
        await this.writer.write(p.shipmentId);
      },
      { transactional: false },
    );
    this.failures.registerReplayHandler(FULFILMENT_SHIP_REPLAY, async (data) => {
      const shipment = await this.writer.write((data as { shipmentId: string }).shipmentId, { replay: true });
      if (shipment?.status === 'shipped') return { confirmed: true };
      return {
        confirmed: false,
        errorCode: shipment?.errorCode ?? 'NOT_SHIPPED',
        reason: shipment?.reason ?? 'the shipment did not go through',
        retryable: shipment?.status === 'unknown',
      };
    });
  }
}
