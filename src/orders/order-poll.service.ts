import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { ShopConnectionRepository } from '../accounts/shop-connection.repository';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { OrderSyncPort } from '../inventory/order-sync.port';
import { ChannelRegistry, CHANNELS } from '../platforms/channel.port';
import { OrderSyncStateEntity } from './order-sync-state.entity';
import { OrderIngestService } from './order-ingest.service';
import { OrderRepository } from './order.repository';

/** Overlap between polls: orders updated at the edge of a window are read twice, never missed. */
const OVERLAP_MS = 2 * 60_000;
/** First poll of a shop reaches back this far. */
const FIRST_LOOKBACK_MS = 24 * 3_600_000;
/** "Recent" for settling stock writes: long enough to cover any order placed since the write. */
const RECENT_MS = 10 * 60_000;

/** The polling backstop: pushes can be lost, so every shop's orders are also read on a schedule. */
@Injectable()
export class OrderPollService implements OrderSyncPort {
  private readonly logger = new Logger(OrderPollService.name);

  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly ingest: OrderIngestService,
    private readonly connections: ShopConnectionRepository,
    private readonly connectionsService: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Per shop: start of the last pollRecent whose window reached back to an earlier complete point (this instance only). */
  private readonly recentComplete = new Map<string, number>();

  /** Reads everything updated since the last poll (with overlap) and records how far it got. */
  async poll(connectionId: string): Promise<number> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return 0;
    const now = this.clock.now();
    const state = await this.orders.syncState(connectionId);
    const since = state ? state.polledUntil - OVERLAP_MS : now - FIRST_LOOKBACK_MS;
    const seen = await this.readWindow(connection, since, now);
    await this.db.transaction(() =>
      this.orders.saveSyncState(Object.assign(new OrderSyncStateEntity(), { connectionId, polledUntil: now, lastPollAt: now, ordersSeen: (state?.ordersSeen ?? 0) + seen })),
    );
    return seen;
  }

  async pollRecent(connectionId: string): Promise<void> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return;
    const now = this.clock.now();
    const covered = await this.feedCompleteUpTo(connectionId);
    await this.readWindow(connection, now - RECENT_MS, now + 60_000);
    if (covered !== undefined && now - RECENT_MS <= covered) this.recentComplete.set(connectionId, now);
  }

  /**
   * Minimal: every poll reads from the previous poll's start (minus an overlap longer than the
   * read lag), so everything that took stock up to the last poll's start minus the platform's
   * documented order read lag has been heard. Unknown before the first successful poll.
   */
  async feedCompleteUpTo(connectionId: string): Promise<number | undefined> {
    const connection = await this.connections.findById(connectionId);
    if (!connection) return undefined;
    const state = await this.orders.syncState(connectionId);
    const polled = Math.max(state?.polledUntil ?? -Infinity, this.recentComplete.get(connectionId) ?? -Infinity);
    if (!Number.isFinite(polled)) return undefined;
    return polled - this.config.orders.readLagMs[connection.platform];
  }

  attachUnboundLines(binding: SkuBindingEntity): Promise<number> {
    return this.ingest.attachUnboundLines(binding);
  }

  private async readWindow(connection: ShopConnectionEntity, since: number, until: number): Promise<number> {
    const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const identity = { ...shop, merchantId: connection.merchantId };
    const channel = this.channels.get(connection.platform);
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await channel.listOrders(shop, { since, until, by: 'updated', cursor }).catch(async (error: unknown) => {
        await this.connectionsService.reportCallFailure(connection.id, error);
        throw error;
      });
      for (const order of page.orders) {
        await this.ingest.ingest(identity, order);
        seen++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (seen) this.logger.debug(`read ${seen} ${connection.platform} orders of shop ${connection.shopId}`);
    return seen;
  }
}
