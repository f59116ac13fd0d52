import { Injectable, OnModuleInit } from '@nestjs/common';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { RunningDiscount } from '../promotions/campaign.service';
import {
  DiscountGuard,
  DiscountGuardRegistry,
  DiscountRefusal,
  DiscountVerdict,
  ProposedDiscount,
} from '../promotions/discount-guard';
import { discountsByPlatform, effectiveSpread, GuardedSku, guardDiscount } from './effective-price';
import { withinLimit } from './parity';
import { DEFAULT_SCOPE } from './price-policy.entity';
import { EffectivePolicy, PricePolicyService } from './price-policy.service';
import { PricingRepository } from './pricing.repository';

const SHOWN_SKUS = 20;

/**
 * The parity guard on discounts: a new coupon may not take any SKU's effective price spread (what a
 * buyer of one unit pays after the best merchant-funded coupon, per platform) beyond its limit.
 * Prices are the ones each listing last showed; the discounts are those running at some point of
 * the coupon's window, as the platforms list them. Refused with the numbers, or the discount is
 * lowered to the most the limits allow when the merchant's defaults say `clamp`.
 */
@Injectable()
export class DiscountParityService implements DiscountGuard, OnModuleInit {
  constructor(
    private readonly guards: DiscountGuardRegistry,
    private readonly repo: PricingRepository,
    private readonly skus: MerchantSkuService,
    private readonly policies: PricePolicyService,
  ) {}

  onModuleInit(): void {
    this.guards.register(this);
  }

  /** Merchant SKUs whose last seen prices are within their limit but not after the coupons running (the audit reads them). */
  async effectiveBreaches(merchantId: string, running: RunningDiscount[]): Promise<string[]> {
    if (!running.length) return [];
    const { skus } = await this.guarded(merchantId);
    const byPlatform = discountsByPlatform(running);
    return skus
      .filter((s) => s.listings.length >= 2)
      .filter((s) => !withinLimit(Object.values(effectiveSpread(s.listings, byPlatform).prices), s.limitBp))
      .map((s) => s.merchantSkuId);
  }

  async check(merchantId: string, proposed: ProposedDiscount, running: RunningDiscount[]): Promise<DiscountVerdict> {
    const { skus, policies } = await this.guarded(merchantId);
    if (!skus.length) return { verdict: 'allowed' };
    const answer = guardDiscount(skus, discountsByPlatform(running), proposed.platforms, {
      name: proposed.name,
      discountFen: proposed.discountFen,
      thresholdFen: proposed.thresholdFen,
      ...(proposed.payPercent === undefined
        ? {}
        : { payPercent: proposed.payPercent, maxDiscountFen: proposed.maxDiscountFen }),
    });
    if (answer.verdict === 'allowed') return answer;
    const rate = proposed.payPercent !== undefined;
    const what = rate ? `a ${100 - proposed.payPercent!}% discount` : `${proposed.discountFen} fen off`;
    const first = answer.breaches[0];
    const refusal: DiscountRefusal = {
      error: 'PARITY_LIMIT',
      message:
        `${what} on ${proposed.platforms.join(' and ')} would take the effective price spread of ` +
        `${answer.breaches.length} SKU(s) beyond the parity limit (SKU ${first.skuCode}: ` +
        `${first.spreadAfterBp / 100}% over ${first.limitBp / 100}%)` +
        (answer.allowed
          ? `; the most the limit allows is ${'discountFen' in answer.allowed ? `${answer.allowed.discountFen} fen off` : `paying ${answer.allowed.payPercent}%`}`
          : '; no discount of this kind fits'),
      proposed: {
        platforms: proposed.platforms,
        ...(rate ? { payPercent: proposed.payPercent } : { discountFen: proposed.discountFen }),
      },
      ...(answer.allowed ? { allowed: answer.allowed } : {}),
      skus: answer.breaches.slice(0, SHOWN_SKUS).map((b) => ({
        skuCode: b.skuCode,
        limitBp: b.limitBp,
        prices: b.prices,
        effectiveBefore: b.effectiveBefore,
        effectiveAfter: b.effectiveAfter,
        spreadBeforeBp: b.spreadBeforeBp,
        spreadAfterBp: b.spreadAfterBp,
      })),
      skuCount: answer.breaches.length,
    };
    // The campaign is the merchant's, so the merchant defaults decide between refusing and clamping.
    const clamp = policies.get(DEFAULT_SCOPE)!.onBreach === 'clamp';
    if (!clamp || !answer.allowed) return { verdict: 'refused', refusal };
    return 'discountFen' in answer.allowed
      ? { verdict: 'clamped', discountFen: answer.allowed.discountFen, refusal }
      : { verdict: 'clamped', discountFen: 0, payPercent: answer.allowed.payPercent, refusal };
  }

  private async guarded(merchantId: string): Promise<{ skus: GuardedSku[]; policies: Map<string, EffectivePolicy> }> {
    const rows = await this.repo.countedListingsOfMerchant(merchantId);
    if (!rows.length) return { skus: [], policies: new Map() };
    const codes = new Map((await this.skus.listByMerchant(merchantId)).map((s) => [s.id, s.skuCode]));
    const bySku = new Map<string, typeof rows>();
    for (const r of rows) bySku.set(r.merchantSkuId, [...(bySku.get(r.merchantSkuId) ?? []), r]);
    const policies = await this.policies.effectiveForAll(merchantId, [...bySku.keys()]);
    const skus: GuardedSku[] = [...bySku.entries()].map(([id, listings]) => ({
      merchantSkuId: id,
      skuCode: codes.get(id) ?? id,
      limitBp: policies.get(id)!.parityLimitBp,
      listings: listings.map((l) => ({
        id: l.bindingId,
        platform: l.platform,
        priceFen: l.priceFen,
        ...(l.platformItemId ? { itemId: l.platformItemId } : {}),
      })),
    }));
    return { skus, policies };
  }
}
