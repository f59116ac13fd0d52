import { Inject, Injectable } from '@nestjs/common';
import { MerchantsService } from '../accounts/merchants.service';
import { CLOCK, Clock } from '../common/clock';
import { isUniqueViolation } from '../common/errors/db-errors';
import {
  ConflictDomainException,
  InvalidInputException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { shipmentRequestedTopic } from '../messaging/contracts/shipment-requested/shipment-requested.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { OrderQueryService } from '../orders/order-query.service';
import { parseCarrier } from '../platforms/carriers';
import { WebhookDeliveriesService } from '../webhooks/deliveries/webhook-deliveries.service';
import { CreateShipmentDto } from './dto/shipment.dto';
import { planShipmentLines } from './shipment-lines';
import { ShipmentEntity, ShipmentSource, ShipmentStatus } from './shipment.entity';
import { ShipmentRepository } from './shipment.repository';

export interface ShipmentAccepted {
  shipment: ShipmentEntity;
  /** The same waybill for the same order was recorded before: nothing new is sent. */
  duplicate: boolean;
}

/**
 * Takes shipments from the ERP and the API: resolves the order by any of its ids, checks carrier
 * and lines, and journals the shipment with its event in one transaction. The writer
 * (ShipmentWriterService) sends it to the platform.
 */
@Injectable()
export class ShipmentService {
  constructor(
    private readonly db: Db,
    private readonly repo: ShipmentRepository,
    private readonly merchants: MerchantsService,
    private readonly orders: OrderQueryService,
    private readonly outbox: OutboxService,
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** An ERP delivery: a repeated delivery id has no second effect (answered as a duplicate of its shipment). */
  async requestFromErp(merchantId: string, deliveryId: string, input: CreateShipmentDto): Promise<ShipmentAccepted> {
    return this.request(merchantId, input, 'erp', deliveryId);
  }

  async request(
    merchantId: string,
    input: CreateShipmentDto,
    source: ShipmentSource,
    deliveryId?: string,
  ): Promise<ShipmentAccepted> {
    await this.merchants.get(merchantId);
    const carrier = parseCarrier(input.carrier);
    if (!carrier)
      throw new InvalidInputException('unknown_carrier', `unknown carrier ${input.carrier}`, [
        { field: 'carrier', messages: [`unknown carrier ${input.carrier}: use a code or name of the carrier table`] },
      ]);
    const found = await this.orders.findForMerchant(merchantId, input.orderId);
    if (!found) throw new NotFoundDomainException('order_not_found', `no order ${input.orderId} for this merchant`);
    const { order } = found;
    const plan = planShipmentLines(
      order.platform,
      found.lines.map((l) => ({ lineId: l.platformLineId, quantity: l.quantity })),
      input.lines,
    );
    if (!plan.ok)
      throw new InvalidInputException('invalid_lines', plan.message, [{ field: plan.field, messages: [plan.message] }]);
    const now = this.clock.now();
    const fresh = Object.assign(new ShipmentEntity(), {
      id: this.ids.uuid(),
      merchantId,
      orderId: order.id,
      platform: order.platform,
      platformOrderId: order.platformOrderId,
      connectionId: order.connectionId,
      carrier,
      trackingNo: input.trackingNo,
      lines: plan.lines,
      source,
      status: 'requested' as ShipmentStatus,
      errorCode: null,
      reason: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      shippedAt: null,
    });
    try {
      return await this.db.transaction(async () => {
        if (deliveryId) await this.deliveries.take(`erp-ship:${merchantId}`, deliveryId);
        const known = await this.repo.findByWaybill(merchantId, order.id, input.trackingNo);
        if (known) return this.repeat(known, fresh);
        await this.repo.insert(fresh);
        await this.outbox.enqueue(shipmentRequestedTopic, { shipmentId: fresh.id, orderId: order.id });
        return { shipment: fresh, duplicate: false };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A repeated ERP delivery, or the same shipment recorded concurrently.
      const known = await this.repo.findByWaybill(merchantId, order.id, input.trackingNo);
      if (!known)
        throw new ConflictDomainException(
          'delivery_reused',
          `delivery ${deliveryId} was taken before for another shipment`,
        );
      return this.repeat(known, fresh);
    }
  }

  /** The same waybill again: the same shipment is a duplicate, a different one reusing the waybill a conflict. */
  private repeat(known: ShipmentEntity, wanted: ShipmentEntity): ShipmentAccepted {
    const sameLines = JSON.stringify(known.lines) === JSON.stringify(wanted.lines);
    if (known.carrier !== wanted.carrier || !sameLines)
      throw new ConflictDomainException(
        'waybill_reused',
        `waybill ${wanted.trackingNo} is already recorded for order ${known.platformOrderId} with other carrier or lines`,
      );
    return { shipment: known, duplicate: true };
  }

  async getForMerchant(merchantId: string, id: string): Promise<ShipmentEntity> {
    await this.merchants.get(merchantId);
    const shipment = await this.repo.findById(id);
    if (!shipment || shipment.merchantId !== merchantId)
      throw new NotFoundDomainException('shipment_not_found', `no shipment ${id} for this merchant`);
    return shipment;
  }

  async listForMerchant(
    merchantId: string,
    filter: { status?: ShipmentStatus; order?: string; limit?: number } = {},
  ): Promise<ShipmentEntity[]> {
    await this.merchants.get(merchantId);
    let orderId: string | undefined;
    if (filter.order) {
      const found = await this.orders.findForMerchant(merchantId, filter.order);
      if (!found) return [];
      orderId = found.order.id;
    }
    return this.repo.list(merchantId, { status: filter.status, orderId, limit: filter.limit ?? 50 });
  }
}
