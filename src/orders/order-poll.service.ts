import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { OrderSyncPort } from '../inventory/order-sync.port';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { ChannelRefund } from '../platforms/ports/after-sales.port';
import { OrdersPort } from '../platforms/ports/orders.port';
import { RefundIngestService } from './after-sales/refund-ingest.service';
import { OrderIngestService } from './order-ingest.service';
import { OrderRepository } from './order.repository';

/** Besides the platform's read lag, windows overlap by this much: orders at a window's edge are read twice, never missed. */
const OVERLAP_MARGIN_MS = 2 * 60_000;
/** First poll of a shop reaches back this far. */
const FIRST_LOOKBACK_MS = 24 * 3_600_000;
/** The platform states its time in whole seconds (HTTP `Date`). */
const CLOCK_RESOLUTION_MS = 1_000;
/** A window that ended short of the platform's now (its clock jumped) is followed by another, at most this many times per poll. */
const MAX_ROUNDS = 3;

/**
 * The polling backstop: pushes can be lost, so every shop's orders (and refunds) are also read
 * on a schedule. Windows are on the platform's clock, as its answers state it, because the
 * `updateTime`s they filter on are stamped by that clock.
 */
@Injectable()
export class OrderPollService implements OrderSyncPort {
  private readonly logger = new Logger(OrderPollService.name);

  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly ingest: OrderIngestService,
    private readonly connections: ConnectionsService,
    private readonly config: AppConfig,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly refundIngest?: RefundIngestService,
  ) {}

  /**
   * Reads everything updated since the last poll (overlapping by the read lag) up to the
   * platform's now, and records how far the shop's sales are known to have been heard.
   */
  async poll(connectionId: string, options: { refunds?: boolean } = {}): Promise<number> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return 0;
    const channel = this.channels.orders(connection.platform);
    const lag = this.readLagMs(connection);
    const overlap = lag + OVERLAP_MARGIN_MS;
    const state = await this.orders.syncState(connectionId);
    let since = state ? state.polledUntil - overlap : this.platformNow(channel, this.clock.now()) - FIRST_LOOKBACK_MS;
    const refundsSince = state?.refundsPolledUntil != null ? state.refundsPolledUntil - overlap : since;
    let seen = 0;
    let until = since;
    let polledUntil = since;
    let complete = 0;
    for (let round = 1; ; round++) {
      const startedAt = this.clock.now();
      until = this.platformNow(channel, startedAt);
      seen += await this.readWindow(connection, since, until);
      const offset = channel.clockOffsetMs?.() ?? 0;
      // The platform's now when the read began (its Date header rounds down): nothing can carry a
      // later update time yet, so a window that overshot it (its clock is behind) ends there.
      const reached = startedAt + offset;
      polledUntil = Math.min(until, reached);
      // An order that took stock at platform time t is readable from t + lag: everything before
      // min(read start, window end in our clock) − lag was there to be read.
      complete = Math.min(startedAt, until - offset - CLOCK_RESOLUTION_MS) - lag;
      if (until >= reached || round >= MAX_ROUNDS) break;
      since = until - overlap;
    }
    const refundsUntil =
      options.refunds !== false && (await this.readRefunds(connection, refundsSince, until)) ? polledUntil : undefined;
    const at = this.clock.now();
    await this.db.transaction(() =>
      this.orders.advanceSyncState(connectionId, {
        polledUntil,
        feedCompleteUntil: complete,
        refundsPolledUntil: refundsUntil,
        at,
        seen,
      }),
    );
    return seen;
  }

  /** Settlement asks before trusting a read-back: a poll brings the feed of sales up to now (refunds wait for the schedule). */
  async pollRecent(connectionId: string): Promise<void> {
    await this.poll(connectionId, { refunds: false });
  }

  async feedCompleteUpTo(connectionId: string): Promise<number | undefined> {
    return (await this.orders.syncState(connectionId))?.feedCompleteUntil ?? undefined;
  }

  async attachUnboundLines(binding: SkuBindingEntity): Promise<number> {
    const attached = await this.ingest.attachUnboundLines(binding);
    // Refunds heard while those lines were unbound release their units now (after-sales).
    if (attached) await this.refundIngest?.applyForBinding(binding);
    return attached;
  }

  private readLagMs(connection: ShopConnectionEntity): number {
    return this.config.orders.readLagMs[connection.platform];
  }

  private platformNow(channel: OrdersPort, localNow: number): number {
    return localNow + (channel.clockOffsetMs?.() ?? 0) + CLOCK_RESOLUTION_MS;
  }

  private async readWindow(connection: ShopConnectionEntity, since: number, until: number): Promise<number> {
    const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const identity = { ...shop, merchantId: connection.merchantId };
    const channel = this.channels.orders(connection.platform);
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await channel.listOrders(shop, { since, until, by: 'updated', cursor });
      for (const order of page.orders) {
        await this.ingest.ingest(identity, order);
        seen++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (seen) this.logger.debug(`read ${seen} ${connection.platform} orders of shop ${connection.shopId}`);
    return seen;
  }

  /**
   * Refund state reaches orders through the refund list too: Youzan's order list carries none,
   * and a refund does not always move the order's update time. A failure here leaves refunds
   * to the next poll (a refund not yet heard only keeps units held) and is not the order feed's.
   */
  private async readRefunds(connection: ShopConnectionEntity, since: number, until: number): Promise<boolean> {
    const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const refunds = this.channels.afterSales(connection.platform);
    const orders = this.channels.orders(connection.platform);
    try {
      const orderIds = new Set<string>();
      const listed: ChannelRefund[] = [];
      let cursor: string | undefined;
      do {
        const page = await refunds.listRefunds(shop, { since, until, cursor });
        for (const refund of page.refunds) if (refund.orderId) orderIds.add(refund.orderId);
        listed.push(...page.refunds);
        cursor = page.nextCursor;
      } while (cursor);
      for (const orderId of orderIds)
        await this.ingest.ingest({ ...shop, merchantId: connection.merchantId }, await orders.getOrder(shop, orderId), {
          recheckLines: true,
        });
      // The refund registry (after-sales) takes each listed refund in, after its order was read.
      for (const refund of listed)
        await this.refundIngest?.ingestListed({ ...shop, merchantId: connection.merchantId }, refund, {
          orderFresh: true,
        });
      return true;
    } catch (error) {
      this.logger.warn(
        `reading ${connection.platform} refunds of shop ${connection.shopId} failed: ${(error as Error).message}`,
      );
      return false;
    }
  }
}
