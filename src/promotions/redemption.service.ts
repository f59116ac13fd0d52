import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import { CLOCK, Clock } from '../common/clock';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { CHANNELS, ChannelRegistry } from '../platforms/ports/channel.registry';
import { ChannelOrder } from '../platforms/ports/orders.port';
import { Platform, ShopRef } from '../platforms/ports/platform.types';
import { CampaignChangeService } from './campaign-changes.service';
import { CampaignCoupon, FoundAnomaly, matchOrder, Redemption } from './coupon-anomalies';
import { CouponAnomalyEntity } from './coupon-anomaly.entity';
import { CouponRedemptionEntity } from './coupon-redemption.entity';
import { breakDown, DiscountBreakdown } from './discount-breakdown';
import { PromotionsRepository } from './promotions.repository';

export interface OrderCouponResult {
  breakdown: DiscountBreakdown;
  /** Campaign coupons first seen on this read of the order. */
  redemptions: Redemption[];
  /** Anomalies first found on this read of the order. */
  anomalies: FoundAnomaly[];
}

/** Reads an order's discounts from its platform, counts campaign redemptions, records anomalies. */
@Injectable()
export class RedemptionService {
  constructor(
    private readonly db: Db,
    private readonly repo: PromotionsRepository,
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly outbox: OutboxService,
    private readonly failures: SyncFailureService,
    private readonly changes: CampaignChangeService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The order's discounts by funder, reconciled with its totals, as the platform reports it now. */
  async breakdownForMerchant(merchantId: string, platform: Platform, orderId: string): Promise<DiscountBreakdown> {
    return breakDown(await this.readOrder(merchantId, platform, orderId));
  }

  async recordOrder(merchantId: string, platform: Platform, orderId: string): Promise<OrderCouponResult> {
    return this.record(merchantId, await this.readOrder(merchantId, platform, orderId));
  }

  /** Repeat-safe: a redemption and an anomaly count once per order, however often the order is read. */
  async record(merchantId: string, order: ChannelOrder): Promise<OrderCouponResult> {
    const breakdown = breakDown(order);
    const campaigns = await this.repo.campaignsOf(merchantId);
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    // A replaced coupon's buyers still redeem what they claimed: its id counts for the campaign too.
    const coupons: CampaignCoupon[] = (await this.repo.channelsOf(campaigns.map((c) => c.id))).flatMap((ch) => {
      const c = byId.get(ch.campaignId)!;
      const ids = [...(ch.couponId ? [ch.couponId] : []), ...retiredIds(ch)];
      return ids.map((couponId) => ({
        campaignId: c.id,
        platform: ch.platform,
        couponId,
        maxMerchantDiscountFen: c.maxMerchantDiscountFen,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
      }));
    });
    const found = matchOrder(breakdown, coupons);
    const now = this.clock.now();
    const result = await this.db.transaction(async () => {
      const redemptions: Redemption[] = [];
      const anomalies = [...found.anomalies];
      for (const r of found.redemptions) {
        const inserted = await this.repo.insertRedemption(
          Object.assign(new CouponRedemptionEntity(), {
            id: this.ids.uuid(),
            campaignId: r.campaignId,
            platform: order.platform,
            platformOrderId: order.orderId,
            couponId: r.couponId,
            merchantFen: r.merchantFen,
            platformFen: r.platformFen,
            orderCreatedAt: order.createdAt,
            recordedAt: now,
          }),
        );
        if (!inserted) continue;
        redemptions.push(r);
        const count = await this.repo.countRedemption(r.campaignId, r.merchantFen, r.platformFen);
        const budget = byId.get(r.campaignId)!.budget;
        if (count > budget)
          anomalies.push({
            kind: 'over_budget',
            campaignId: r.campaignId,
            evidence: { platform: order.platform, orderId: order.orderId, couponId: r.couponId, count, budget },
          });
      }
      const raised: FoundAnomaly[] = [];
      for (const a of anomalies) {
        const row = Object.assign(new CouponAnomalyEntity(), {
          id: this.ids.uuid(),
          merchantId,
          campaignId: a.campaignId,
          kind: a.kind,
          platform: order.platform,
          platformOrderId: order.orderId,
          evidence: a.evidence,
          detectedAt: now,
        });
        if (!(await this.repo.insertAnomaly(row))) continue;
        raised.push(a);
        // The failure center shows it to ops with the evidence; nothing to retry.
        await this.failures.record({
          context: 'promotions',
          operation: 'coupon.anomaly',
          errorCode: `COUPON_${a.kind.toUpperCase()}`,
          reason: `${a.kind} on ${order.platform} order ${order.orderId}: ${JSON.stringify(a.evidence)}`,
          platform: order.platform,
          merchantId,
          entityType: a.campaignId ? 'coupon-campaign' : 'order',
          entityRef: a.campaignId ?? order.orderId,
          dedupeKey: `coupon-anomaly:${a.kind}:${order.platform}:${order.orderId}`,
          retryable: false,
        });
        await this.outbox.enqueue(merchantEventRaisedTopic, {
          eventId: stableUuid(`coupon.anomaly:${a.kind}:${order.platform}:${order.orderId}`),
          merchantId,
          type: 'coupon.anomaly',
          subject: a.campaignId ?? `${order.platform}:${order.orderId}`,
          occurredAt: now,
          data: { anomalyId: row.id, kind: a.kind, campaignId: a.campaignId, ...a.evidence },
        });
      }
      return { breakdown, redemptions, anomalies: raised };
    });
    // Demand seen: the budget may move toward the platform running out (after the commit, outside it).
    for (const campaignId of new Set(result.redemptions.map((r) => r.campaignId)))
      await this.changes.rebalanceQuietly(merchantId, campaignId);
    return result;
  }

  /** Coupon anomalies detected since `since`, per merchant and platform (ops console). */
  anomalyCountsSince(since: number): Promise<{ merchantId: string; platform: string; n: number }[]> {
    return this.repo.anomalyCountsSince(since);
  }

  async anomaliesForMerchant(merchantId: string, campaignId?: string): Promise<CouponAnomalyEntity[]> {
    await this.merchants.get(merchantId);
    return this.repo.anomaliesOf(merchantId, campaignId);
  }

  private async readOrder(merchantId: string, platform: Platform, orderId: string): Promise<ChannelOrder> {
    await this.merchants.get(merchantId);
    const connection = (await this.connections.listByMerchant(merchantId)).find(
      (c) => c.platform === platform && c.status === 'active',
    );
    if (!connection) throw new NotFoundDomainException('NO_CONNECTED_SHOP', `no connected ${platform} shop`);
    const shop: ShopRef = { platform, connectionId: connection.id, shopId: connection.shopId };
    return this.channels.orders(platform).getOrder(shop, orderId);
  }
}

/** The same fact gives the same event id, so the ERP can spot repeats. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function retiredIds(channel: { retiredCouponIds: string | null }): string[] {
  return (channel.retiredCouponIds ?? '').split(',').filter(Boolean);
}
