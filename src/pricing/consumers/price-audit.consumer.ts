import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { priceAuditRequestedTopic } from '@app/messaging/contracts/price-audit-requested/price-audit-requested.contract';
import { priceChangedTopic } from '@app/messaging/contracts/price-changed/price-changed.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { CampaignService } from '@app/promotions/campaign.service';
import { DiscountParityService } from '../discount-parity.service';
import { ListingPriceEntity } from '../listing-price.entity';
import { DEFAULT_PARITY_LIMIT_BP } from '../parity';
import { PricingRepository } from '../pricing.repository';

const PAGE_SIZE = 100;

/**
 * Audits one shop: pages through its listings (the catalog port, so the shop's rate limits apply),
 * keeps the price of each bound listing and of each known listing no longer bound in `listing_price`,
 * and hands to the SKU's price writer every SKU whose listing shows another price than it last showed and every SKU whose last seen
 * prices spread beyond the limit (one grouped query); the writer reads all its listings live and
 * corrects per policy.
 */
@Injectable()
export class PriceAuditConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly connections: ConnectionsService,
    private readonly bindings: SkuBindingService,
    private readonly repo: PricingRepository,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    private readonly campaigns: CampaignService,
    private readonly discounts: DiscountParityService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      priceAuditRequestedTopic,
      'pricing.price-audit',
      (p) => this.auditShop(p.connectionId).then(() => undefined),
      { transactional: false },
    );
  }

  /** Returns how many SKUs were handed to their writer. */
  async auditShop(connectionId: string): Promise<number> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return 0;
    const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const catalog = this.channels.catalog(connection.platform);
    const suspects = new Set<string>();
    // Keyed by item and SKU: every Youzan item without variants has SKU id '0'.
    const bound = new Map(
      (await this.bindings.listByMerchant(connection.merchantId))
        .filter((b) => b.connectionId === connection.id)
        .map((b) => [listingKey(b.platformItemId, b.platformSkuId), b]),
    );
    // Known listings of this shop no longer bound are read with it, so their kept price stays current.
    const unbound = new Map(
      (await this.repo.unboundListingsOfConnection(connection.id)).map((r) => [
        listingKey(r.platformItemId ?? '', r.platformSkuId ?? ''),
        r,
      ]),
    );
    const seen: ListingPriceEntity[] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await catalog.listItems(shop, { page, pageSize: PAGE_SIZE });
      for (const item of items) {
        for (const sku of item.skus) {
          const key = listingKey(item.itemId, sku.skuId);
          const binding = bound.get(key);
          const known = binding ?? unbound.get(key);
          if (!known) continue;
          seen.push(
            Object.assign(new ListingPriceEntity(), {
              bindingId: binding ? binding.id : (known as ListingPriceEntity).bindingId,
              merchantId: known.merchantId,
              merchantSkuId: known.merchantSkuId,
              platform: connection.platform,
              connectionId: connection.id,
              platformItemId: item.itemId,
              platformSkuId: sku.skuId,
              priceFen: sku.priceFen,
              observedAt: this.clock.now(),
            }),
          );
        }
      }
      // A listing whose price changed since it was last seen goes to its writer; unchanged ones only
      // through the spread check below (a SKU is not read live every hour for the same observation).
      const before = await this.repo.listingPrices(seen.map((r) => r.bindingId));
      for (const row of seen) {
        const last = before.get(row.bindingId);
        if (last !== undefined && last !== row.priceFen) suspects.add(row.merchantSkuId);
      }
      await this.db.transaction(() => this.repo.observe(seen.splice(0)));
      if (!items.length || page * PAGE_SIZE >= total) break;
    }
    // With this shop's prices in, the DB-side check finds spreads against the other shop's last seen prices.
    const limit = await this.repo.lowestLimitBp(DEFAULT_PARITY_LIMIT_BP);
    for (let after = ''; ;) {
      const found = await this.repo.spreadViolations(limit, { merchantId: connection.merchantId, after, limit: 1000 });
      for (const v of found) suspects.add(v.merchantSkuId);
      if (found.length < 1000) break;
      after = found[found.length - 1].merchantSkuId;
    }
    // Prices within the limit but not after the coupons running now (one made in a back office too).
    const running = await this.campaigns.runningDiscounts(connection.merchantId, this.clock.now());
    for (const id of await this.discounts.effectiveBreaches(connection.merchantId, running)) suspects.add(id);
    if (!suspects.size) return 0;
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const merchantSkuId of suspects)
        await this.outbox.enqueue(priceChangedTopic, { merchantSkuId, reason: 'audit', requestedAt: now });
    });
    return suspects.size;
  }
}

const listingKey = (itemId: string, skuId: string) => `${itemId}/${skuId}`;
