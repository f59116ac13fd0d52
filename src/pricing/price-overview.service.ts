import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { CLOCK, Clock } from '../common/clock';
import { CampaignService } from '../promotions/campaign.service';
import { discountsByPlatform, effectiveSpread } from './effective-price';
import { spreadBp, withinLimit } from './parity';
import { planCorrection } from './parity-correction';
import { PricePolicyService } from './price-policy.service';
import { PricingRepository } from './pricing.repository';

/** SKUs per page of the overview (API and page). */
export const DEFAULT_PAGE_SIZE = 200;

export interface ListingPriceView {
  bindingId: string;
  platform: string;
  platformItemId: string;
  platformSkuId: string;
  /** The shop's connection status; only `active` listings count towards the spread. */
  shopStatus: string;
  /** False for a known listing no longer bound (counted by the guard and the audit, never written). */
  bound: boolean;
  /** The price the service last saw on the platform (its knowledge, not a live read). */
  lastSeenFen: number | null;
  lastSeenAt: number | null;
  /** What a buyer of one unit pays at the last seen price after the best merchant-funded discount running now. */
  effectiveFen: number | null;
}

/** A spread beyond the limit: which listing is off and what the audit would do about it per policy. */
export interface ParityViolationView {
  spreadBp: number;
  limitBp: number;
  effectiveSpreadBp: number;
  off: { bindingId: string; platform: string; priceFen: number; bound: boolean }[];
  /** `correct`: the audit writes `corrections`; `alert`: it records a sync failure and writes nothing. */
  wouldDo: 'correct' | 'alert';
  corrections: { bindingId: string; platform: string; fromFen: number; toFen: number }[];
  action: string;
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
  /** The same spread over the effective prices (after merchant-funded discounts running now); null with fewer than two. */
  effectiveSpreadBp: number | null;
  /** Merchant-funded discounts running now on the platforms of this SKU's listings. */
  discounts: {
    platform: string;
    /** `campaign`: one of the service's campaigns; `platform`: a coupon made outside the service. */
    source: 'campaign' | 'platform';
    name: string;
    discountFen: number;
    thresholdFen: number;
    payPercent?: number;
  }[];
  violation: ParityViolationView | null;
  listings: ListingPriceView[];
  findings: {
    platform: string;
    expectedFen: number | null;
    observedFen: number;
    spreadBp: number;
    effectiveSpreadBp: number | null;
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

/**
 * The merchant's price parity at a glance: what each platform showed us, the spread (and after
 * merchant-funded discounts), a violation with what the audit would do, findings, writes in flight.
 */
@Injectable()
export class PriceOverviewService {
  constructor(
    private readonly skus: MerchantSkuService,
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    private readonly policies: PricePolicyService,
    private readonly repo: PricingRepository,
    private readonly campaigns: CampaignService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * One page of the merchant's bound SKUs (by SKU code). A fixed number of queries per page, however
   * many SKUs it holds: every per-SKU read is one batched query over the page.
   */
  async forMerchant(
    merchantId: string,
    paging: { page?: number; pageSize?: number } = {},
  ): Promise<SkuPriceOverview[]> {
    const pageSize = paging.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = paging.page ?? 1;
    const status = new Map((await this.connections.listByMerchant(merchantId)).map((c) => [c.id, c.status]));
    const allBound = await this.bindings.listByMerchant(merchantId);
    const boundBySku = new Map<string, typeof allBound>();
    for (const b of allBound) boundBySku.set(b.merchantSkuId, [...(boundBySku.get(b.merchantSkuId) ?? []), b]);
    const skus = (await this.skus.listByMerchant(merchantId))
      .filter((s) => boundBySku.has(s.id))
      .slice((page - 1) * pageSize, page * pageSize);
    if (!skus.length) return [];
    const ids = skus.map((s) => s.id);
    const pageBindings = skus.flatMap((s) => boundBySku.get(s.id)!);
    const [seenRows, unboundRows, policies, pendingRows, driftRows, historyRows, appliedBySku, erpRows, runningList] =
      await Promise.all([
        this.repo.listingPriceRows(pageBindings.map((b) => b.id)),
        this.repo.unboundListingPricesOf(ids),
        this.policies.effectiveForAll(merchantId, ids),
        this.repo.pendingOpsOf(ids),
        this.repo.driftsOf(ids, 5),
        this.repo.historyOf(ids, 20),
        this.repo.lastAppliedOf(ids),
        this.repo.erpPricesOf(ids),
        this.campaigns.runningDiscounts(merchantId, this.clock.now()),
      ]);
    const running = discountsByPlatform(runningList);
    const of = <T extends { merchantSkuId: string }>(rows: T[], id: string) =>
      rows.filter((r) => r.merchantSkuId === id);
    const out: SkuPriceOverview[] = [];
    for (const sku of skus) {
      const bound = boundBySku.get(sku.id)!;
      const seen = of(seenRows, sku.id);
      const unbound = of(unboundRows, sku.id);
      const policy = policies.get(sku.id)!;
      const pending = of(pendingRows, sku.id);
      const drifts = of(driftRows, sku.id);
      const history = of(historyRows, sku.id);
      const expected = appliedBySku.get(sku.id) ?? new Map<string, number>();
      const erp = erpRows.find((r) => r.merchantSkuId === sku.id);
      const listings: ListingPriceView[] = bound.map((b) => {
        const row = seen.find((r) => r.bindingId === b.id);
        return {
          bindingId: b.id,
          platform: b.platform,
          platformItemId: b.platformItemId,
          platformSkuId: b.platformSkuId,
          shopStatus: status.get(b.connectionId) ?? 'unknown',
          bound: true,
          lastSeenFen: row?.priceFen ?? null,
          lastSeenAt: row?.observedAt ?? null,
          effectiveFen: null,
        };
      });
      // Unbound twins count where the guard and the audit count them: on a platform with no active bound listing.
      const activePlatforms = new Set(listings.filter((l) => l.shopStatus === 'active').map((l) => l.platform));
      for (const row of unbound) {
        if (activePlatforms.has(row.platform)) continue;
        listings.push({
          bindingId: row.bindingId,
          platform: row.platform,
          platformItemId: row.platformItemId ?? '',
          platformSkuId: row.platformSkuId ?? '',
          shopStatus: 'active',
          bound: false,
          lastSeenFen: row.priceFen,
          lastSeenAt: row.observedAt,
          effectiveFen: null,
        });
      }
      const countedListings = listings.filter((l) => l.shopStatus === 'active' && l.lastSeenFen !== null);
      const audited = countedListings.map((l) => ({
        id: l.bindingId,
        platform: l.platform as 'kuaishou' | 'youzan',
        priceFen: l.lastSeenFen!,
        unbound: !l.bound,
        itemId: l.platformItemId,
      }));
      const effective = effectiveSpread(audited, running);
      for (const l of countedListings) l.effectiveFen = effective.prices[l.bindingId] ?? null;
      const counted = audited.map((a) => a.priceFen);
      const spread = counted.length >= 2 ? spreadBp(counted) : null;
      const plan = counted.length >= 2 ? planCorrection(audited, expected, policy, erp?.priceFen) : undefined;
      const byId = new Map(countedListings.map((l) => [l.bindingId, l]));
      const violation: ParityViolationView | null =
        plan && plan.breaks
          ? {
              spreadBp: plan.spreadBp,
              limitBp: policy.parityLimitBp,
              effectiveSpreadBp: effective.spreadBp,
              off: plan.off.map((id) => ({
                bindingId: id,
                platform: byId.get(id)!.platform,
                priceFen: byId.get(id)!.lastSeenFen!,
                bound: byId.get(id)!.bound,
              })),
              wouldDo: plan.verdict === 'correct' ? 'correct' : 'alert',
              corrections: Object.entries(plan.targets ?? {}).map(([id, toFen]) => ({
                bindingId: id,
                platform: byId.get(id)!.platform,
                fromFen: byId.get(id)!.lastSeenFen!,
                toFen,
              })),
              action: plan.action,
            }
          : null;
      const platforms = new Set(listings.map((l) => l.platform));
      const refused = history.find((w) => w.status === 'refused');
      out.push({
        merchantSkuId: sku.id,
        skuCode: sku.skuCode,
        title: sku.title,
        master: policy.master,
        limitBp: policy.parityLimitBp,
        spreadBp: spread,
        withinLimit: spread === null ? null : withinLimit(counted, policy.parityLimitBp),
        effectiveSpreadBp: counted.length >= 2 ? effective.spreadBp : null,
        discounts: [...platforms].flatMap((p) =>
          (running[p] ?? [])
            .filter(
              (d) => !d.itemIds || listings.some((l) => l.platform === p && d.itemIds!.includes(l.platformItemId)),
            )
            .map((d) => ({
              platform: p,
              source: d.source,
              name: d.name,
              discountFen: d.discountFen,
              thresholdFen: d.thresholdFen,
              ...(d.payPercent === undefined ? {} : { payPercent: d.payPercent }),
            })),
        ),
        violation,
        listings,
        findings: drifts.map((d) => ({
          platform: d.platform,
          expectedFen: d.expectedFen,
          observedFen: d.observedFen,
          spreadBp: d.spreadBp,
          effectiveSpreadBp: d.effectiveSpreadBp,
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
