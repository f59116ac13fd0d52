import { Injectable } from '@nestjs/common';
import { Platform, SkuRef } from '@app/platforms/ports/platform.types';
import { groupOf, ListingFinding } from './listing-validation';

/** One SKU of a listing about to be created on another platform. */
export interface ListingPriceProposal {
  skuCode: string;
  priceFen: number;
  /** The SKU the draft was read from (counted beside the merchant SKU's listings while it is not bound). */
  source?: SkuRef & { connectionId: string };
}

export type ListingPriceVerdict =
  | { skuCode: string; verdict: 'allowed'; priceFen: number }
  | { skuCode: string; verdict: 'clamped'; priceFen: number; proposedFen: number; limitBp: number }
  | {
      skuCode: string;
      verdict: 'refused';
      error: 'PARITY_LIMIT' | 'PRICE_OUT_OF_BOUNDS';
      message: string;
      proposedFen: number;
      /** The prices the SKU's other listings show now, by platform. */
      current: Partial<Record<Platform, number>>;
      limitBp: number;
      spreadBp: number;
      /** The nearest price the policy allows (undefined when none). */
      allowedFen?: number;
    };

/**
 * The price-parity guard as publishing sees it: the prices a new listing's SKUs may be created
 * with on `platform`, next to the merchant SKUs' other listings. Pricing owns the rule and
 * provides it (pricing depends on catalog, so catalog names the port and pricing fills it).
 */
export interface ListingPriceGuard {
  check(merchantId: string, platform: Platform, skus: ListingPriceProposal[]): Promise<ListingPriceVerdict[]>;
}

/** Holds the guard pricing provides at start; publishing refuses to create an item without one. */
@Injectable()
export class ListingPriceGuards implements ListingPriceGuard {
  private guard?: ListingPriceGuard;

  provide(guard: ListingPriceGuard): void {
    if (this.guard) throw new Error('a listing price guard is provided twice');
    this.guard = guard;
  }

  check(merchantId: string, platform: Platform, skus: ListingPriceProposal[]): Promise<ListingPriceVerdict[]> {
    if (!this.guard) throw new Error('no listing price guard is provided (the pricing module is not loaded)');
    return this.guard.check(merchantId, platform, skus);
  }
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const shown = (current: Partial<Record<Platform, number>>) =>
  Object.entries(current)
    .map(([platform, fen]) => `${platform} ¥${yuan(fen)}`)
    .join(', ');

/** The guard's answers as findings on `skus[i].priceFen`: a refusal is an error, a clamp a warning. */
export function priceFindings(skus: { skuCode: string }[], verdicts: ListingPriceVerdict[]): ListingFinding[] {
  return verdicts.flatMap((v): ListingFinding[] => {
    const field = `skus[${skus.findIndex((s) => s.skuCode === v.skuCode)}].priceFen`;
    if (v.verdict === 'allowed') return [];
    if (v.verdict === 'clamped')
      return [
        {
          code: 'PRICE_PARITY',
          group: groupOf('PRICE_PARITY'),
          severity: 'warning',
          field,
          message: {
            zh: `SKU ${v.skuCode} 价格 ${yuan(v.proposedFen)} 元超出 ${v.limitBp / 100}% 的比价上限，按价格策略以 ${yuan(v.priceFen)} 元发布`,
            en: `SKU ${v.skuCode} at ¥${yuan(v.proposedFen)} breaks the ${v.limitBp / 100}% parity limit; the policy publishes it at ¥${yuan(v.priceFen)}`,
          },
          hint: {
            zh: '如需其他价格，请先修改价格策略或其他平台的价格',
            en: 'Change the price policy or the other listings first for another price',
          },
        },
      ];
    const allowed = v.allowedFen;
    return [
      {
        code: 'PRICE_PARITY',
        group: groupOf('PRICE_PARITY'),
        severity: 'error',
        field,
        message:
          v.error === 'PRICE_OUT_OF_BOUNDS'
            ? {
                zh: `SKU ${v.skuCode} 价格 ${yuan(v.proposedFen)} 元超出价格策略的最低价和最高价`,
                en: `SKU ${v.skuCode} at ¥${yuan(v.proposedFen)} is outside the price policy's floor and ceiling`,
              }
            : {
                zh: `SKU ${v.skuCode} 价格 ${yuan(v.proposedFen)} 元会使价差达到 ${v.spreadBp / 100}%，超过 ${v.limitBp / 100}% 的比价上限（${shown(v.current)}）`,
                en: `SKU ${v.skuCode} at ¥${yuan(v.proposedFen)} would make the spread ${v.spreadBp / 100}%, over the ${v.limitBp / 100}% parity limit (${shown(v.current)})`,
              },
        hint:
          allowed !== undefined
            ? {
                zh: `允许的最接近价格为 ${yuan(allowed)} 元：请先调整其他平台的价格，或将价格策略改为自动调整`,
                en: `The nearest allowed price is ¥${yuan(allowed)}: change the other listings' price first, or set the policy to clamp`,
              }
            : {
                zh: '其他平台的价格已超出比价上限，请先修正',
                en: 'The other listings already break the limit: fix them first',
              },
      },
    ];
  });
}
