import { Inject, Injectable } from '@nestjs/common';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { CLOCK, Clock } from '../common/clock';
import { InvalidInputException, NotFoundDomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { Adjustment, DEFAULT_PARITY_LIMIT_BP, DerivationRules } from './parity';
import { AuditAction, DEFAULT_SCOPE, ParityBreach, PriceMaster, PricePolicyEntity } from './price-policy.entity';
import { PricingRepository } from './pricing.repository';

/** A policy with every field decided (override over merchant defaults over built-in defaults). */
export interface EffectivePolicy {
  master: PriceMaster;
  adjustments: Partial<Record<'kuaishou' | 'youzan', Adjustment>>;
  roundingEndingFen: number | null;
  floorFen: number | null;
  ceilingFen: number | null;
  parityLimitBp: number;
  parityAllowanceBp: number;
  onBreach: ParityBreach;
  auditAction: AuditAction;
}

export type PolicyPatch = Partial<Omit<EffectivePolicy, 'parityAllowanceBp'>>;

export const BUILT_IN_POLICY: EffectivePolicy = {
  master: 'erp',
  adjustments: {},
  roundingEndingFen: null,
  floorFen: null,
  ceilingFen: null,
  parityLimitBp: DEFAULT_PARITY_LIMIT_BP,
  parityAllowanceBp: DEFAULT_PARITY_LIMIT_BP,
  onBreach: 'refuse',
  auditAction: 'correct',
};

const FIELDS = [
  'master',
  'adjustments',
  'roundingEndingFen',
  'floorFen',
  'ceilingFen',
  'parityLimitBp',
  'onBreach',
  'auditAction',
] as const;

@Injectable()
export class PricePolicyService {
  constructor(
    private readonly db: Db,
    private readonly repo: PricingRepository,
    private readonly skus: MerchantSkuService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async effective(merchantId: string, merchantSkuId?: string): Promise<EffectivePolicy> {
    const rows = await this.repo.policies(merchantId, merchantSkuId ? [DEFAULT_SCOPE, merchantSkuId] : [DEFAULT_SCOPE]);
    return resolvePolicy(rows, merchantSkuId);
  }

  /** The effective policy of each of the merchant's SKUs (and `*`, the defaults), in one query. */
  async effectiveForAll(merchantId: string, merchantSkuIds: string[]): Promise<Map<string, EffectivePolicy>> {
    const rows = await this.repo.allPolicies(merchantId);
    const out = new Map<string, EffectivePolicy>([[DEFAULT_SCOPE, resolvePolicy(rows)]]);
    for (const id of merchantSkuIds) out.set(id, resolvePolicy(rows, id));
    return out;
  }

  /**
   * Merchant SKUs whose last seen listing prices (bound, in active shops) differ by more than their own
   * effective parity limit, counted per merchant (ops console). Checks at most `cap` candidates.
   */
  async parityViolationsByMerchant(cap = 1000): Promise<Record<string, number>> {
    const lowest = await this.repo.lowestLimitBp(DEFAULT_PARITY_LIMIT_BP);
    const candidates = await this.repo.spreadViolations(lowest, { limit: cap });
    const counts: Record<string, number> = {};
    for (const c of candidates) {
      const { parityLimitBp } = await this.effective(c.merchantId, c.merchantSkuId);
      if (c.maxFen * 10_000 > c.minFen * (10_000 + parityLimitBp))
        counts[c.merchantId] = (counts[c.merchantId] ?? 0) + 1;
    }
    return counts;
  }

  /** The effective policy of one of the merchant's SKUs, by code (another merchant's SKU is not found). */
  async effectiveForSku(merchantId: string, skuCode: string): Promise<EffectivePolicy> {
    return this.effective(merchantId, await this.ownedSkuId(merchantId, skuCode));
  }

  /** Sets overrides of one of the merchant's SKUs, by code (another merchant's SKU is not found). */
  async putForSku(
    merchantId: string,
    skuCode: string,
    patch: { [K in keyof PolicyPatch]?: PolicyPatch[K] | null },
  ): Promise<EffectivePolicy> {
    return this.put(merchantId, await this.ownedSkuId(merchantId, skuCode), patch);
  }

  private async ownedSkuId(merchantId: string, skuCode: string): Promise<string> {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    if (!sku) throw new NotFoundDomainException('SKU_NOT_FOUND', `no SKU ${skuCode}`);
    return sku.id;
  }

  /** What is stored for one scope (null fields: inherited). */
  async stored(merchantId: string, scope: string): Promise<PricePolicyEntity | null> {
    return this.repo.policy(merchantId, scope);
  }

  /** Sets fields of the defaults (`scope` = `*`) or of one SKU's override; `null` clears an override's field. */
  async put(
    merchantId: string,
    scope: string,
    patch: { [K in keyof PolicyPatch]?: PolicyPatch[K] | null },
  ): Promise<EffectivePolicy> {
    const allowance =
      (await this.repo.policy(merchantId, DEFAULT_SCOPE))?.parityAllowanceBp ?? BUILT_IN_POLICY.parityAllowanceBp;
    if (patch.parityLimitBp !== undefined && patch.parityLimitBp !== null && patch.parityLimitBp > allowance) {
      throw new InvalidInputException(
        'PARITY_LIMIT_TOO_HIGH',
        `the parity limit may not exceed ${allowance / 100}% unless an admin allows it`,
        [{ field: 'parityLimitBp', messages: [`must be at most ${allowance} (basis points)`] }],
      );
    }
    const row = (await this.repo.policy(merchantId, scope)) ?? this.blank(merchantId, scope);
    for (const field of FIELDS) {
      if (patch[field] === undefined) continue;
      if (
        patch[field] === null &&
        scope === DEFAULT_SCOPE &&
        field !== 'floorFen' &&
        field !== 'ceilingFen' &&
        field !== 'roundingEndingFen'
      )
        continue;
      (row as unknown as Record<string, unknown>)[field] = patch[field];
    }
    row.updatedAt = this.clock.now();
    // Checked on the effective policy (an override's floor against the defaults' ceiling too); refused, nothing is kept.
    return this.db.transaction(async () => {
      await this.repo.savePolicy(row);
      const effective = await this.effective(merchantId, scope === DEFAULT_SCOPE ? undefined : scope);
      if (effective.floorFen !== null && effective.ceilingFen !== null && effective.floorFen > effective.ceilingFen) {
        throw new InvalidInputException('FLOOR_ABOVE_CEILING', 'the floor is above the ceiling', [
          { field: 'floorFen', messages: ['must not exceed ceilingFen'] },
        ]);
      }
      return effective;
    });
  }

  /** Admin only: the highest parity limit this merchant may set. */
  async setAllowance(merchantId: string, allowanceBp: number): Promise<EffectivePolicy> {
    const row = (await this.repo.policy(merchantId, DEFAULT_SCOPE)) ?? this.blank(merchantId, DEFAULT_SCOPE);
    row.parityAllowanceBp = allowanceBp;
    row.updatedAt = this.clock.now();
    await this.repo.savePolicy(row);
    return this.effective(merchantId);
  }

  private blank(merchantId: string, scope: string): PricePolicyEntity {
    return Object.assign(new PricePolicyEntity(), {
      id: this.ids.uuid(),
      merchantId,
      scope,
      master: null,
      adjustments: null,
      roundingEndingFen: null,
      floorFen: null,
      ceilingFen: null,
      parityLimitBp: null,
      parityAllowanceBp: null,
      onBreach: null,
      auditAction: null,
      updatedAt: 0,
    });
  }
}

/** The built-in policy, then the merchant defaults, then the SKU's override (non-null fields win). */
export function resolvePolicy(rows: PricePolicyEntity[], merchantSkuId?: string): EffectivePolicy {
  const defaults = rows.find((r) => r.scope === DEFAULT_SCOPE);
  const override = merchantSkuId ? rows.find((r) => r.scope === merchantSkuId) : undefined;
  const result: EffectivePolicy = { ...BUILT_IN_POLICY, adjustments: {} };
  for (const row of [defaults, override]) {
    if (!row) continue;
    for (const field of FIELDS) {
      const value = row[field];
      if (value !== null && value !== undefined) (result as unknown as Record<string, unknown>)[field] = value;
    }
  }
  result.parityAllowanceBp = defaults?.parityAllowanceBp ?? BUILT_IN_POLICY.parityAllowanceBp;
  // An allowance lowered by an admin also lowers limits set before it.
  result.parityLimitBp = Math.min(result.parityLimitBp, result.parityAllowanceBp);
  return result;
}

export function rulesFor(policy: EffectivePolicy, platform: 'kuaishou' | 'youzan'): DerivationRules {
  return {
    adjustment: policy.adjustments[platform],
    roundingEndingFen: policy.roundingEndingFen,
    floorFen: policy.floorFen,
    ceilingFen: policy.ceilingFen,
  };
}
