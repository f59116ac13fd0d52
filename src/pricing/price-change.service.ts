import { Inject, Injectable } from '@nestjs/common';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { CLOCK, Clock } from '../common/clock';
import { DomainException, NotFoundDomainException } from '../common/errors/domain.exception';
import { Db } from '../database/db';
import { priceChangedTopic } from '../messaging/contracts/price-changed/price-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { derivePrice, guardOne, planSteps, spreadBp, withinLimit } from './parity';
import { PriceLane, PriceListingsService } from './price-listings.service';
import { PriceWriteOpEntity } from './price-write-op.entity';
import { PricePolicyService, rulesFor } from './price-policy.service';
import { PricingRepository } from './pricing.repository';

type ByPlatform = Partial<Record<'kuaishou' | 'youzan', number>>;

/** The numbers a refused price change answers with. */
export interface PriceRefusal {
  error: 'PARITY_LIMIT' | 'PRICE_OUT_OF_BOUNDS' | 'NOT_PLANNABLE';
  message: string;
  current: ByPlatform;
  proposed: ByPlatform;
  limitBp: number;
  spreadBp: number;
  /** The price the limit (or floor and ceiling) would allow, where one listing was asked for. */
  allowed?: ByPlatform;
}

export class PriceRefusedException extends DomainException {
  /** The listings the refused change was for (journaled as refused). */
  lanes?: PriceLane[];

  constructor(
    readonly refusal: PriceRefusal,
    kind: 'conflict' | 'unprocessable',
  ) {
    super(refusal.error, refusal.message, kind);
  }
}

const withLanes = (lanes: PriceLane[], refusal: PriceRefusal, kind: 'conflict' | 'unprocessable') =>
  Object.assign(new PriceRefusedException(refusal, kind), { lanes });

/** Keeps a refused change in the price journal (status `refused`, one row per listing it proposed a price for). */
export async function journalRefusal(
  db: Db,
  repo: PricingRepository,
  ids: IdGenerator,
  clock: Clock,
  lanes: PriceLane[],
  refusal: Pick<PriceRefusal, 'message' | 'current' | 'proposed'>,
  reason: 'api' | 'erp',
): Promise<void> {
  const now = clock.now();
  const ops = lanes
    .filter((l) => refusal.proposed[l.shop.platform] !== undefined)
    .map((l) =>
      Object.assign(new PriceWriteOpEntity(), {
        id: ids.uuid(),
        bindingId: l.binding.id,
        merchantSkuId: l.binding.merchantSkuId,
        platform: l.shop.platform,
        priceFen: refusal.proposed[l.shop.platform]!,
        previousFen: refusal.current[l.shop.platform] ?? null,
        reason,
        status: 'refused' as const,
        note: `refused: ${refusal.message}`.slice(0, 500),
        requestedAt: now,
        mayLandUntil: null,
        createdAt: now,
        settledAt: now,
      }),
    );
  await db.transaction(() => repo.insertOps(ops));
}

export interface PriceChangeAccepted {
  current: ByPlatform;
  targets: ByPlatform;
  /** Set when the policy clamped the proposed price to the limit. */
  clampedFrom?: ByPlatform;
  steps: { platform: string; priceFen: number }[];
  limitBp: number;
}

/** The guard in front of API price writes: refuses or clamps by policy, then hands the change to the SKU's price writer. */
@Injectable()
export class PriceChangeService {
  constructor(
    private readonly db: Db,
    private readonly skus: MerchantSkuService,
    private readonly listings: PriceListingsService,
    private readonly policies: PricePolicyService,
    private readonly repo: PricingRepository,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** With `dryRun` the change is only checked: nothing is journaled or written. */
  async request(
    merchantId: string,
    skuCode: string,
    input: { priceFen: number; platform?: 'kuaishou' | 'youzan' },
    options: { dryRun?: boolean } = {},
  ): Promise<PriceChangeAccepted> {
    try {
      return await this.guarded(merchantId, skuCode, input, options.dryRun ?? false);
    } catch (error) {
      if (error instanceof PriceRefusedException && error.lanes && !options.dryRun)
        await journalRefusal(this.db, this.repo, this.ids, this.clock, error.lanes, error.refusal, 'api');
      throw error;
    }
  }

  private async guarded(
    merchantId: string,
    skuCode: string,
    input: { priceFen: number; platform?: 'kuaishou' | 'youzan' },
    dryRun: boolean,
  ): Promise<PriceChangeAccepted> {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    if (!sku) throw new NotFoundDomainException('SKU_NOT_FOUND', `no SKU ${skuCode}`);
    const lanes = await this.listings.lanes(sku.id);
    if (!lanes.length)
      throw new DomainException('NO_LISTINGS', `SKU ${skuCode} has no listing in a connected shop`, 'unprocessable');
    const policy = await this.policies.effective(merchantId, sku.id);
    const live = await this.listings.livePrices(lanes);
    // Listings of the SKU known but unbound count too (a twin bound alone must not drift past them).
    const twins = await this.listings.unboundPrices(sku.id, lanes);
    const known = { ...live, ...twins.prices };
    const byPlatform = (prices: Record<string, number>): ByPlatform =>
      Object.fromEntries(
        lanes.filter((l) => prices[l.binding.id] !== undefined).map((l) => [l.shop.platform, prices[l.binding.id]]),
      );
    const current: ByPlatform = { ...twins.byPlatform, ...byPlatform(live) };
    const targets: Record<string, number> = {};
    let clampedFrom: ByPlatform | undefined;
    if (input.platform) {
      const lane = lanes.find((l) => l.shop.platform === input.platform);
      if (!lane)
        throw new DomainException(
          'NO_LISTING',
          `SKU ${skuCode} has no ${input.platform} listing in a connected shop`,
          'unprocessable',
        );
      const bounds = { min: policy.floorFen ?? 1, max: policy.ceilingFen ?? Number.MAX_SAFE_INTEGER };
      if (input.priceFen < bounds.min || input.priceFen > bounds.max) {
        const allowed = Math.min(bounds.max, Math.max(bounds.min, input.priceFen));
        throw withLanes(
          lanes,
          {
            error: 'PRICE_OUT_OF_BOUNDS',
            message: `${input.priceFen} fen is outside the policy's floor and ceiling`,
            current,
            proposed: { [input.platform]: input.priceFen },
            limitBp: policy.parityLimitBp,
            spreadBp: spreadBp(Object.values(known)),
            allowed: { [input.platform]: allowed },
          },
          'unprocessable',
        );
      }
      const answer = guardOne(
        known,
        lane.binding.id,
        input.priceFen,
        policy.parityLimitBp,
        policy.onBreach === 'clamp',
      );
      if (answer.verdict === 'refused') {
        throw withLanes(
          lanes,
          {
            error: 'PARITY_LIMIT',
            message: `${input.platform} at ${input.priceFen} fen would make the spread ${answer.spreadBp / 100}%, over the ${policy.parityLimitBp / 100}% limit`,
            current,
            proposed: { [input.platform]: input.priceFen },
            limitBp: policy.parityLimitBp,
            spreadBp: answer.spreadBp,
            ...(answer.allowedFen !== undefined ? { allowed: { [input.platform]: answer.allowedFen } } : {}),
          },
          'conflict',
        );
      }
      if (answer.verdict === 'clamped') clampedFrom = { [input.platform]: input.priceFen };
      targets[lane.binding.id] = answer.priceFen;
    } else {
      const unbounded: Record<string, number> = {};
      for (const lane of lanes) {
        const rules = rulesFor(policy, lane.shop.platform);
        targets[lane.binding.id] = derivePrice(input.priceFen, rules);
        unbounded[lane.binding.id] = derivePrice(input.priceFen, { ...rules, floorFen: null, ceilingFen: null });
      }
      // Floor and ceiling are not clamped silently: a derived price outside them is refused with the numbers.
      if (lanes.some((l) => unbounded[l.binding.id] !== targets[l.binding.id])) {
        throw withLanes(
          lanes,
          {
            error: 'PRICE_OUT_OF_BOUNDS',
            message: `a price derived from ${input.priceFen} fen is outside the policy's floor and ceiling`,
            current,
            proposed: byPlatform(unbounded),
            limitBp: policy.parityLimitBp,
            spreadBp: spreadBp(Object.values(known)),
            allowed: byPlatform(targets),
          },
          'unprocessable',
        );
      }
      const after = { ...known, ...targets };
      if (!withinLimit(Object.values(after), policy.parityLimitBp)) {
        throw withLanes(
          lanes,
          {
            error: 'PARITY_LIMIT',
            message: `the derived prices differ by more than the ${policy.parityLimitBp / 100}% limit (check the adjustments)`,
            current,
            proposed: byPlatform(targets),
            limitBp: policy.parityLimitBp,
            spreadBp: spreadBp(Object.values(after)),
          },
          'conflict',
        );
      }
    }
    const plan = planSteps(known, targets, policy.parityLimitBp);
    if (!plan.ok) {
      throw withLanes(
        lanes,
        {
          error: 'NOT_PLANNABLE',
          message: plan.reason,
          current,
          proposed: byPlatform(targets),
          limitBp: policy.parityLimitBp,
          spreadBp: spreadBp(Object.values({ ...known, ...targets })),
        },
        'conflict',
      );
    }
    if (!dryRun)
      await this.db.transaction(() =>
        this.outbox.enqueue(priceChangedTopic, {
          merchantSkuId: sku.id,
          reason: 'api',
          targets,
          requestedAt: this.clock.now(),
        }),
      );
    return {
      current,
      targets: byPlatform(targets),
      ...(clampedFrom ? { clampedFrom } : {}),
      steps: plan.steps.map((s) => ({
        platform: lanes.find((l) => l.binding.id === s.listing)!.shop.platform,
        priceFen: s.priceFen,
      })),
      limitBp: policy.parityLimitBp,
    };
  }

  async history(merchantId: string, skuCode: string, limit = 100) {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    if (!sku) throw new NotFoundDomainException('SKU_NOT_FOUND', `no SKU ${skuCode}`);
    const [writes, drifts] = await Promise.all([this.repo.history(sku.id, limit), this.repo.drifts(sku.id, limit)]);
    return {
      skuCode,
      writes: writes.map((w) => ({
        id: w.id,
        platform: w.platform,
        priceFen: w.priceFen,
        previousFen: w.previousFen,
        reason: w.reason,
        status: w.status,
        note: w.note,
        createdAt: w.createdAt,
        settledAt: w.settledAt,
      })),
      drifts: drifts.map((d) => ({
        platform: d.platform,
        expectedFen: d.expectedFen,
        observedFen: d.observedFen,
        spreadBp: d.spreadBp,
        action: d.action,
        createdAt: d.createdAt,
      })),
    };
  }
}
