import { Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { spreadBp, withinLimit } from './parity';
import { PricePolicyService } from './price-policy.service';
import { PricingRepository } from './pricing.repository';

export interface ListingPriceView {
  bindingId: string;
  platform: string;
  platformItemId: string;
  platformSkuId: string;
  /** The shop's connection status; only `active` listings count towards the spread. */
  shopStatus: string;
  /** The price the service last saw on the platform (its knowledge, not a live read). */
  lastSeenFen: number | null;
  lastSeenAt: number | null;
}

export interface SkuPriceOverview {
  merchantSkuId: string;
  skuCode: string;
  title: string | null;
  master: string;
  limitBp: number;
  /** `max/min − 1` over the last seen prices of listings in active shops (basis points); null with fewer than two. */
  spreadBp: number | null;
  withinLimit: boolean | null;
  listings: ListingPriceView[];
  findings: {
    platform: string;
    expectedFen: number | null;
    observedFen: number;
    spreadBp: number;
    action: string;
    createdAt: number;
  }[];
  pendingWrites: {
    id: string;
    platform: string;
    priceFen: number;
    reason: string;
    note: string | null;
    createdAt: number;
  }[];
  lastRefusal: { platform: string; priceFen: number; note: string | null; createdAt: number } | null;
}

/** The merchant's price parity at a glance: what each platform showed us, the spread, audit findings, writes in flight. */
@Injectable()
export class PriceOverviewService {
  constructor(
    private readonly skus: MerchantSkuService,
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    private readonly policies: PricePolicyService,
    private readonly repo: PricingRepository,
  ) {}

  async forMerchant(merchantId: string): Promise<SkuPriceOverview[]> {
    const status = new Map((await this.connections.listByMerchant(merchantId)).map((c) => [c.id, c.status]));
    const allBound = await this.bindings.listByMerchant(merchantId);
    const out: SkuPriceOverview[] = [];
    for (const sku of await this.skus.listByMerchant(merchantId)) {
      const bound = allBound.filter((b) => b.merchantSkuId === sku.id);
      if (!bound.length) continue;
      const [seen, policy, pending, drifts, history] = await Promise.all([
        this.repo.listingPriceRows(bound.map((b) => b.id)),
        this.policies.effective(merchantId, sku.id),
        this.repo.pendingOps(sku.id),
        this.repo.drifts(sku.id, 5),
        this.repo.history(sku.id, 20),
      ]);
      const listings = bound.map((b) => {
        const row = seen.find((r) => r.bindingId === b.id);
        return {
          bindingId: b.id,
          platform: b.platform,
          platformItemId: b.platformItemId,
          platformSkuId: b.platformSkuId,
          shopStatus: status.get(b.connectionId) ?? 'unknown',
          lastSeenFen: row?.priceFen ?? null,
          lastSeenAt: row?.observedAt ?? null,
        };
      });
      const counted = listings
        .filter((l) => l.shopStatus === 'active' && l.lastSeenFen !== null)
        .map((l) => l.lastSeenFen!);
      const spread = counted.length >= 2 ? spreadBp(counted) : null;
      const refused = history.find((w) => w.status === 'refused');
      out.push({
        merchantSkuId: sku.id,
        skuCode: sku.skuCode,
        title: sku.title,
        master: policy.master,
        limitBp: policy.parityLimitBp,
        spreadBp: spread,
        withinLimit: spread === null ? null : withinLimit(counted, policy.parityLimitBp),
        listings,
        findings: drifts.map((d) => ({
          platform: d.platform,
          expectedFen: d.expectedFen,
          observedFen: d.observedFen,
          spreadBp: d.spreadBp,
          action: d.action,
          createdAt: d.createdAt,
        })),
        pendingWrites: pending.map((w) => ({
          id: w.id,
          platform: w.platform,
          priceFen: w.priceFen,
          reason: w.reason,
          note: w.note,
          createdAt: w.createdAt,
        })),
        lastRefusal: refused
          ? { platform: refused.platform, priceFen: refused.priceFen, note: refused.note, createdAt: refused.createdAt }
          : null,
      });
    }
    return out;
  }
}
