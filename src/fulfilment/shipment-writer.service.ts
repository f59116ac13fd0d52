import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { METRICS } from '../ops/metrics/metric-names';
import { MetricsService } from '../ops/metrics/metrics.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { OrderIngestService } from '../orders/order-ingest.service';
import { Carrier } from '../platforms/carriers';
import { isPlatformError } from '../platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { ChannelOrder } from '../platforms/ports/orders.port';
import { ShopRef } from '../platforms/ports/platform.types';
import { ShipmentEntity, ShipmentStatus } from './shipment.entity';
import { ShipmentRepository } from './shipment.repository';

export const FULFILMENT_SHIP_REPLAY = 'fulfilment.ship';

/** Codes whose call may have landed or may succeed later: settled by read-back, replayable. */
const UNSETTLED_CODES = ['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN'];

const failureKey = (shipmentId: string) => `fulfilment.ship:${shipmentId}`;

/** A stable UUID-shaped id per (shipment, fact), so a repeat of the same event carries the same id. */
function eventIdOf(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Whether the platform shows the shipment's lines (or every line) shipped. */
export function shipmentLanded(shipment: Pick<ShipmentEntity, 'lines'>, order: ChannelOrder): boolean {
  if (!shipment.lines) return ['shipped', 'delivered', 'completed'].includes(order.status);
  return shipment.lines.every((wanted) => {
    const line = order.lines.find((l) => l.lineId === wanted.lineId);
    return !!line && (line.shippedQuantity ?? 0) >= wanted.quantity;
  });
}

/**
 * Writes a journaled shipment to its platform through the fulfilment port. The journal row moves
 * to `sending` before the call; a writer that finds a shipment `sending` or `unknown` reads the
 * order back first and sends again only when the platform does not show it shipped (the port is
 * repeat-safe: a landed waybill is never shipped twice). A refusal becomes `failed` with the
 * platform's reason, a sync failure and a `shipment.failed` merchant event. After a shipment the
 * order read back goes through the orders registry, which moves stock by its rules (a shipped line
 * stays held until the ERP's count includes it).
 */
@Injectable()
export class ShipmentWriterService {
  private readonly logger = new Logger(ShipmentWriterService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: ShipmentRepository,
    private readonly connections: ConnectionsService,
    private readonly ingest: OrderIngestService,
    private readonly outbox: OutboxService,
    private readonly failures: SyncFailureService,
    private readonly metrics: MetricsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `replay`: a failed shipment is tried again (after a fix at the platform, or a sync-failure retry). */
  async write(shipmentId: string, options: { replay?: boolean } = {}): Promise<ShipmentEntity | undefined> {
    const claimed = await this.claim(shipmentId, options.replay ?? false);
    if (!claimed) return (await this.repo.findById(shipmentId)) ?? undefined;
    const { shipment, settleFirst } = claimed;
    const connection = await this.connections.findById(shipment.connectionId);
    if (!connection || connection.status !== 'active')
      return this.fail(
        shipment,
        'failed',
        'SHOP_NOT_CONNECTED',
        `the ${shipment.platform} shop is not connected`,
        true,
      );
    const shop: ShopRef = { platform: shipment.platform, connectionId: connection.id, shopId: connection.shopId };

    if (settleFirst) {
      const seen = await this.readBack(shop, shipment);
      if (seen && shipmentLanded(shipment, seen)) return this.shipped(shipment, shop, seen);
    }
    try {
      await this.channels.fulfilment(shipment.platform).shipOrder(shop, {
        orderId: shipment.platformOrderId,
        carrier: shipment.carrier as Carrier,
        trackingNo: shipment.trackingNo,
        lines: shipment.lines ?? undefined,
      });
    } catch (error) {
      const unsettled = !isPlatformError(error) || error.ambiguous || UNSETTLED_CODES.includes(error.code);
      if (!unsettled) {
        const detail = error.rawMessage ?? error.message;
        const code = error.rawCode ? `${error.code} (${error.platform} ${error.rawCode})` : error.code;
        return this.fail(
          shipment,
          'failed',
          error.code,
          `${shipment.platform} refused the shipment: ${detail} [${code}]`,
          false,
          {
            platformCode: error.rawCode ?? null,
            platformMessage: error.rawMessage ?? null,
          },
        );
      }
      // The answer was lost or the platform was unavailable: the order itself tells whether it shipped.
      const seen = await this.readBack(shop, shipment);
      if (seen && shipmentLanded(shipment, seen)) return this.shipped(shipment, shop, seen);
      const why = error instanceof Error ? error.message : String(error);
      return this.fail(
        shipment,
        'unknown',
        'OUTCOME_UNKNOWN',
        `shipment outcome unknown, not shown shipped: ${why}`,
        true,
      );
    }
    return this.shipped(shipment, shop, await this.readBack(shop, shipment));
  }

  /** Marks the shipment `sending` (journal before the call); undefined when there is nothing to do. */
  private async claim(
    shipmentId: string,
    replay: boolean,
  ): Promise<{ shipment: ShipmentEntity; settleFirst: boolean } | undefined> {
    return this.db.transaction(async () => {
      const shipment = await this.repo.lock(shipmentId);
      if (!shipment || shipment.status === 'shipped') return undefined;
      if (shipment.status === 'failed' && !replay) return undefined;
      const settleFirst = shipment.status !== 'requested';
      shipment.status = 'sending';
      shipment.attempts += 1;
      shipment.updatedAt = this.clock.now();
      await this.repo.save(shipment);
      return { shipment, settleFirst };
    });
  }

  private async readBack(shop: ShopRef, shipment: ShipmentEntity): Promise<ChannelOrder | undefined> {
    try {
      return await this.channels.orders(shipment.platform).getOrder(shop, shipment.platformOrderId);
    } catch (error) {
      this.logger.warn(
        { shipmentId: shipment.id, error: error instanceof Error ? error.message : String(error) },
        'shipment read-back failed',
      );
      return undefined;
    }
  }

  private async shipped(shipment: ShipmentEntity, shop: ShopRef, seen?: ChannelOrder): Promise<ShipmentEntity> {
    await this.db.transaction(async () => {
      const now = this.clock.now();
      Object.assign(shipment, { status: 'shipped', errorCode: null, reason: null, updatedAt: now, shippedAt: now });
      await this.repo.save(shipment);
    });
    this.metrics.counter(METRICS.shipmentsTotal).inc({ platform: shipment.platform, outcome: 'shipped' });
    this.metrics
      .histogram(METRICS.shipmentWritebackSeconds)
      .observe({ platform: shipment.platform }, Math.max(0, this.clock.now() - shipment.createdAt) / 1000);
    await this.failures.resolveByDedupeKey(failureKey(shipment.id), 'shipped');
    // The registry moves the lines' stock from what the platform shows now (pushes and polls converge on it too).
    if (seen)
      await this.ingest
        .ingest({ ...shop, merchantId: shipment.merchantId }, seen)
        .catch((error: unknown) =>
          this.logger.warn(
            { shipmentId: shipment.id, error: error instanceof Error ? error.message : String(error) },
            'order ingest after shipment failed; the poll backstop will bring it',
          ),
        );
    return shipment;
  }

  /** `retryable`: the shipment may go through later as it is (outage, lost answer, shop reconnected). */
  private async fail(
    shipment: ShipmentEntity,
    status: Extract<ShipmentStatus, 'failed' | 'unknown'>,
    errorCode: string,
    reason: string,
    retryable: boolean,
    platform: { platformCode?: string | null; platformMessage?: string | null } = {},
  ): Promise<ShipmentEntity> {
    await this.db.transaction(async () => {
      Object.assign(shipment, { status, errorCode, reason: reason.slice(0, 500), updatedAt: this.clock.now() });
      await this.repo.save(shipment);
      await this.outbox.enqueue(merchantEventRaisedTopic, {
        eventId: eventIdOf(shipment.id, 'failed', String(shipment.attempts)),
        merchantId: shipment.merchantId,
        type: 'shipment.failed',
        subject: shipment.orderId,
        occurredAt: shipment.updatedAt,
        data: {
          shipmentId: shipment.id,
          orderId: shipment.orderId,
          platform: shipment.platform,
          platformOrderId: shipment.platformOrderId,
          carrier: shipment.carrier,
          trackingNo: shipment.trackingNo,
          status,
          errorCode,
          reason: shipment.reason,
        },
      });
    });
    this.metrics.counter(METRICS.shipmentsTotal).inc({ platform: shipment.platform, outcome: status });
    await this.failures.record({
      context: 'fulfilment',
      operation: FULFILMENT_SHIP_REPLAY,
      errorCode,
      reason: `shipment of ${shipment.platform} order ${shipment.platformOrderId} (${shipment.carrier} ${shipment.trackingNo}): ${reason}`,
      platform: shipment.platform,
      shopRef: shipment.connectionId,
      merchantId: shipment.merchantId,
      entityType: 'shipment',
      entityRef: shipment.id,
      platformCode: platform.platformCode ?? null,
      platformMessage: platform.platformMessage ?? null,
      replay: { kind: FULFILMENT_SHIP_REPLAY, data: { shipmentId: shipment.id } },
      dedupeKey: failureKey(shipment.id),
      retryable,
    });
    return shipment;
  }
}
