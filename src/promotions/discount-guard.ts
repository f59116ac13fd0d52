import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import type { Platform } from '../platforms/ports/platform.types';
import type { RunningDiscount } from './campaign.service';

/** A coupon the service is about to create on `platforms`. */
export interface ProposedDiscount {
  name: string;
  platforms: Platform[];
  discountFen: number;
  payPercent?: number;
  maxDiscountFen?: number;
  thresholdFen: number;
  startsAt: number;
  endsAt: number;
}

/** The numbers a discount refused for price parity answers with. */
export interface DiscountRefusal {
  error: 'PARITY_LIMIT';
  message: string;
  proposed: { platforms: Platform[]; discountFen?: number; payPercent?: number };
  /** The strongest discount of the same kind the limits allow (absent when none). */
  allowed?: { discountFen: number } | { payPercent: number };
  /** The SKUs it would take beyond their limit (at most 20), with list and effective prices per platform. */
  skus: {
    skuCode: string;
    limitBp: number;
    prices: Record<string, number>;
    /** After the discounts running already, and after the proposed one too (by platform). */
    effectiveBefore: Record<string, number>;
    effectiveAfter: Record<string, number>;
    spreadBeforeBp: number;
    spreadAfterBp: number;
  }[];
  /** How many SKUs it would take beyond their limit in all. */
  skuCount: number;
}

export type DiscountVerdict =
  | { verdict: 'allowed' }
  | { verdict: 'clamped'; discountFen: number; payPercent?: number; refusal: DiscountRefusal }
  | { verdict: 'refused'; refusal: DiscountRefusal };

/** Checks a new discount against the merchant's price parity (pricing provides it). */
export interface DiscountGuard {
  check(merchantId: string, proposed: ProposedDiscount, running: RunningDiscount[]): Promise<DiscountVerdict>;
}

/**
 * Where pricing registers its guard (pricing depends on promotions, not the other way round).
 * Without one every discount is allowed.
 */
@Injectable()
export class DiscountGuardRegistry {
  private guard?: DiscountGuard;

  register(guard: DiscountGuard): void {
    this.guard = guard;
  }

  get active(): boolean {
    return this.guard !== undefined;
  }

  check(merchantId: string, proposed: ProposedDiscount, running: RunningDiscount[]): Promise<DiscountVerdict> {
    return this.guard ? this.guard.check(merchantId, proposed, running) : Promise.resolve({ verdict: 'allowed' });
  }
}

/** A campaign refused because its discount would break price parity (422 with the numbers). */
export class DiscountRefusedException extends DomainException {
  constructor(readonly refusal: DiscountRefusal) {
    super(refusal.error, refusal.message, 'unprocessable');
  }
}
