import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { CampaignService } from '../promotions/campaign.service';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { NamedLock } from '../database/named-lock';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { METRICS } from '../ops/metrics/metric-names';
import { MetricsService } from '../ops/metrics/metrics.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { isPlatformError } from '../platforms/platform-error';
import { ListingPriceEntity } from './listing-price.entity';
import { discountsByPlatform, effectiveSpread } from './effective-price';
import { derivePrice, ListingPrices, planSteps, withinLimit } from './parity';
import { planCorrection } from './parity-correction';
import { PriceLane, PriceListingsService } from './price-listings.service';
import { EffectivePolicy, PricePolicyService, rulesFor } from './price-policy.service';
import { PriceWriteOpEntity, PriceWriteReason } from './price-write-op.entity';
import { PricingRepository } from './pricing.repository';

export const PRICING_SKU_REPLAY = 'pricing.sku';

/** How long after a lost answer a platform may still apply the price write (timeouts applied late). */
export const PRICE_LATE_APPLY_MS = 120_000;

/** A price change handed to the writer (the price-changed event). */
export interface PriceChangeRequest {
  merchantSkuId: string;
  reason: 'api' | 'erp';
  targets?: Record<string, number>;
  requestedAt: number;
  /** `erp`: the ERP sequence the targets were derived from. */
  sequence?: number;
}

/** A write did not land (or its outcome could not be read back): the plan stops, the runner retries it. */
export class PriceWriteIncompleteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceWriteIncompleteError';
  }
}

/**
 * The one price writer of a merchant SKU (the price-changed topic is keyed by merchant SKU, and a
 * named lock per SKU keeps replays and other instances out). Every write is journaled before the
 * call; an unknown answer is settled by reading the price back, never by writing again. A change
 * that moves several listings is written in steps so no intermediate state breaks the parity limit.
 */
@Injectable()
export class PriceWriterService {
  private readonly logger = new Logger(PriceWriterService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: PricingRepository,
    private readonly skus: MerchantSkuService,
    private readonly listings: PriceListingsService,
    private readonly policies: PricePolicyService,
    private readonly failures: SyncFailureService,
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxService,
    private readonly campaigns: CampaignService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /**
   * Moves the listings to the change's targets (by binding id), in steps within the limit. A change
   * is dropped when a newer one has been written since it was requested, or (ERP) when the ERP has
   * reported a newer sequence; ERP targets are derived again from the kept ERP price.
   */
  async apply(merchantSkuId: string, change: PriceChangeRequest): Promise<void> {
    await this.locked(merchantSkuId, async () => {
      const sku = await this.skus.findById(merchantSkuId);
      if (!sku) return;
      const lanes = await this.listings.lanes(merchantSkuId);
      const landing = await this.settle(lanes, merchantSkuId);
      if (landing) throw new PriceWriteIncompleteError(landing);
      const policy = await this.policies.effective(sku.merchantId, sku.id);
      let targets = change.targets ?? {};
      if (change.reason === 'erp') {
        const erp = await this.repo.erpPrice(merchantSkuId);
        if (!erp || policy.master !== 'erp') return this.dropped(change, 'the ERP is no longer the master');
        if (change.sequence !== undefined && erp.sequence > change.sequence)
          return this.dropped(change, `ERP sequence ${erp.sequence} is newer than ${change.sequence}`);
        targets = Object.fromEntries(
          lanes.map((l) => [l.binding.id, derivePrice(erp.priceFen, rulesFor(policy, l.shop.platform))]),
        );
      }
      if (await this.repo.writtenSince(merchantSkuId, change.requestedAt))
        return this.dropped(change, 'a newer price change was written after it was requested');
      const wanted = Object.fromEntries(
        Object.entries(targets).filter(([id]) => lanes.some((l) => l.binding.id === id)),
      );
      const live = await this.listings.livePrices(lanes);
      await this.seen(lanes, live);
      await this.writeSteps(lanes, live, wanted, policy, change.reason, change.requestedAt);
    });
  }

  private dropped(change: PriceChangeRequest, why: string): void {
    this.logger.log(`price change of ${change.merchantSkuId} requested at ${change.requestedAt} dropped: ${why}`);
  }

  /**
   * A listing was just bound: its price is read at once; with the ERP as master and an ERP price
   * known, every listing takes the price derived from it; otherwise a spread already beyond the
   * limit is corrected per policy now rather than at the next hourly audit.
   */
  async bound(merchantSkuId: string): Promise<void> {
    const sku = await this.skus.findById(merchantSkuId);
    if (!sku) return;
    const policy = await this.policies.effective(sku.merchantId, sku.id);
    const erp = policy.master === 'erp' ? await this.repo.erpPrice(merchantSkuId) : null;
    if (!erp) return this.audit(merchantSkuId);
    await this.apply(merchantSkuId, {
      merchantSkuId,
      reason: 'erp',
      requestedAt: this.clock.now(),
      sequence: erp.sequence,
    });
  }

  /**
   * Reads the live prices, records every listing that shows a price the service did not write,
   * and when the spread breaks the limit corrects it per policy (or raises a sync failure).
   */
  async audit(merchantSkuId: string): Promise<void> {
    await this.locked(merchantSkuId, async () => {
      const sku = await this.skus.findById(merchantSkuId);
      if (!sku) return;
      const bound = await this.listings.lanes(merchantSkuId);
      if (bound.length < 1) return;
      // A write that may still land makes the live prices misleading: the settlement job comes back.
      if (await this.settle(bound, merchantSkuId)) return;
      const policy = await this.policies.effective(sku.merchantId, sku.id);
      // Known listings no longer bound count too (read live, never written): the platforms see them.
      const twins = await this.listings.twinLanes(merchantSkuId, bound);
      const read = await this.listings.twinPrices(twins);
      const lanes = [...bound, ...twins.filter((t) => !read.gone.includes(t.binding.id))];
      const live = { ...(await this.listings.livePrices(bound)), ...read.prices };
      await this.seen(lanes, live);
      const expected = await this.repo.lastApplied(merchantSkuId);
      const now = this.clock.now();
      const erp = policy.master === 'erp' ? await this.repo.erpPrice(merchantSkuId) : null;
      const audited = lanes.map((l) => ({
        id: l.binding.id,
        platform: l.shop.platform,
        priceFen: live[l.binding.id],
        unbound: l.unbound,
        itemId: l.binding.platformItemId,
      }));
      const plan = planCorrection(audited, expected, policy, erp?.priceFen);
      const { breaks, targets, action, spreadBp: spread } = plan;
      // Reported beside the list-price spread, never corrected on: what a buyer of one unit pays.
      const effective = effectiveSpread(
        audited,
        discountsByPlatform(await this.campaigns.runningDiscounts(sku.merchantId, now)),
      );
      const drifted = lanes.filter(
        (l) => expected.has(l.binding.id) && expected.get(l.binding.id) !== live[l.binding.id],
      );
      const noted = breaks ? lanes.filter((l) => drifted.includes(l) || !expected.has(l.binding.id)) : drifted;
      let fresh = false;
      for (const lane of noted) {
        // Once per listing and observed price: the same observation is not recorded every hour.
        if ((await this.repo.lastDrift(lane.binding.id))?.observedFen === live[lane.binding.id]) continue;
        fresh = true;
        await this.repo.insertDrift({
          bindingId: lane.binding.id,
          merchantSkuId,
          platform: lane.shop.platform,
          expectedFen: expected.get(lane.binding.id) ?? null,
          observedFen: live[lane.binding.id],
          spreadBp: spread,
          effectiveSpreadBp: effective.spreadBp,
          action,
          createdAt: now,
        });
        this.metrics.counter(METRICS.priceDriftTotal).inc({ platform: lane.shop.platform });
      }
      if (!breaks) {
        await this.failures.resolveByDedupeKey(parityKey(merchantSkuId));
        await this.effectiveAlert(sku, lanes, live, effective, policy.parityLimitBp);
        return;
      }
      // The merchant's systems hear of each newly observed violation once (outbound webhook event).
      if (fresh) {
        const prices = Object.fromEntries(lanes.map((l) => [l.shop.platform, live[l.binding.id]]));
        await this.db.transaction(() =>
          this.outbox.enqueue(merchantEventRaisedTopic, {
            eventId: stableUuid(`price.parity_violation:${merchantSkuId}:${JSON.stringify(prices)}`),
            merchantId: sku.merchantId,
            type: 'price.parity_violation',
            subject: merchantSkuId,
            occurredAt: now,
            data: {
              merchantSkuId,
              skuCode: sku.skuCode,
              prices,
              spreadBp: spread,
              effectivePrices: Object.fromEntries(lanes.map((l) => [l.shop.platform, effective.prices[l.binding.id]])),
              effectiveSpreadBp: effective.spreadBp,
              limitBp: policy.parityLimitBp,
              action: plan.verdict === 'correct' ? 'correct' : 'alert',
            },
          }),
        );
      }
      if (plan.verdict === 'correct' && targets) {
        const boundLive = Object.fromEntries(bound.map((l) => [l.binding.id, live[l.binding.id]]));
        await this.writeSteps(bound, boundLive, targets, policy, 'correction', now);
        return;
      }
      const shown = (l: PriceLane) => `${l.shop.platform}${l.unbound ? ' (unbound)' : ''} ${live[l.binding.id]} fen`;
      await this.failures.record({
        context: 'pricing',
        operation: 'price.parity',
        errorCode: 'PARITY_BROKEN',
        reason: `SKU ${sku.skuCode}: spread ${spread / 100}% over the ${policy.parityLimitBp / 100}% limit (${lanes.map(shown).join(', ')}; after merchant discounts ${effective.spreadBp / 100}%); ${action}`,
        platform: noted[0]?.shop.platform ?? lanes[0].shop.platform,
        shopRef: noted[0]?.shop.shopId ?? lanes[0].shop.shopId,
        merchantId: lanes[0]?.binding.merchantId ?? null,
        entityType: 'merchant-sku',
        entityRef: merchantSkuId,
        replay: { kind: PRICING_SKU_REPLAY, data: { merchantSkuId } },
        dedupeKey: parityKey(merchantSkuId),
        retryable: false,
      });
    });
  }

  /**
   * List prices within the limit, but what buyers pay after the merchant's coupons is not (a coupon
   * made in a back office, or on one platform only): never corrected by price, an alert for the
   * merchant until the coupons or prices change.
   */
  private async effectiveAlert(
    sku: { id: string; merchantId: string; skuCode: string },
    lanes: PriceLane[],
    live: ListingPrices,
    effective: { prices: Record<string, number>; spreadBp: number },
    limitBp: number,
  ): Promise<void> {
    const prices = lanes.map((l) => effective.prices[l.binding.id]).filter((p) => p !== undefined);
    if (prices.length < 2 || withinLimit(prices, limitBp)) {
      await this.failures.resolveByDedupeKey(effectiveKey(sku.id));
      return;
    }
    const shown = (l: PriceLane) =>
      `${l.shop.platform} ${live[l.binding.id]} fen, ${effective.prices[l.binding.id]} fen after coupons`;
    await this.failures.record({
      context: 'pricing',
      operation: 'price.effective-parity',
      errorCode: 'EFFECTIVE_PARITY_BROKEN',
      reason: `SKU ${sku.skuCode}: after merchant-funded coupons the spread is ${effective.spreadBp / 100}% over the ${limitBp / 100}% limit (${lanes.map(shown).join('; ')}); list prices are within it: end or change the coupon`,
      platform: lanes[0].shop.platform,
      shopRef: lanes[0].shop.shopId,
      merchantId: sku.merchantId,
      entityType: 'merchant-sku',
      entityRef: sku.id,
      replay: { kind: PRICING_SKU_REPLAY, data: { merchantSkuId: sku.id } },
      dedupeKey: effectiveKey(sku.id),
      retryable: false,
    });
  }

  private async writeSteps(
    lanes: PriceLane[],
    live: ListingPrices,
    targets: ListingPrices,
    policy: EffectivePolicy,
    reason: PriceWriteReason,
    requestedAt: number,
  ): Promise<void> {
    // Known but unbound listings of the SKU stay where they are; no step may break the limit against them.
    const twins = lanes.length ? await this.listings.unboundPrices(lanes[0].binding.merchantSkuId, lanes) : undefined;
    const plan = planSteps({ ...twins?.prices, ...live }, targets, policy.parityLimitBp);
    if (!plan.ok) {
      this.metrics.counter(METRICS.priceWritesRefusedTotal).inc();
      await this.failures.record({
        context: 'pricing',
        operation: 'price.plan',
        errorCode: 'PARITY_REFUSED',
        reason: `price change of ${Object.entries(targets)
          .map(([id, p]) => `${lanes.find((l) => l.binding.id === id)?.shop.platform ?? id} → ${p} fen`)
          .join(', ')} refused: ${plan.reason}`,
        platform: lanes[0]?.shop.platform ?? 'kuaishou',
        shopRef: lanes[0]?.shop.shopId ?? '',
        merchantId: lanes[0]?.binding.merchantId ?? null,
        entityType: 'merchant-sku',
        entityRef: lanes[0]?.binding.merchantSkuId ?? '',
        dedupeKey: planKey(lanes[0]?.binding.merchantSkuId ?? ''),
        retryable: false,
      });
      return;
    }
    // A plan that works again closes an earlier refusal of this SKU.
    if (lanes[0]) await this.failures.resolveByDedupeKey(planKey(lanes[0].binding.merchantSkuId));
    const state = { ...live };
    for (const step of plan.steps) {
      const lane = lanes.find((l) => l.binding.id === step.listing)!;
      await this.writeOne(lane, state[step.listing] ?? null, step.priceFen, reason, requestedAt);
      state[step.listing] = step.priceFen;
    }
  }

  /** One journaled write; throws when it did not land, so nothing after it is written. */
  private async writeOne(
    lane: PriceLane,
    previousFen: number | null,
    priceFen: number,
    reason: PriceWriteReason,
    requestedAt: number,
  ): Promise<void> {
    const op = Object.assign(new PriceWriteOpEntity(), {
      id: this.ids.uuid(),
      bindingId: lane.binding.id,
      merchantSkuId: lane.binding.merchantSkuId,
      platform: lane.shop.platform,
      priceFen,
      previousFen,
      reason,
      status: 'pending',
      note: null,
      requestedAt,
      createdAt: this.clock.now(),
      settledAt: null,
    });
    await this.db.transaction(() => this.repo.insertOp(op));
    try {
      await this.channels
        .prices(lane.shop.platform)
        .setSkuPrice(lane.shop, { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId }, priceFen);
    } catch (error) {
      const ambiguous = !isPlatformError(error) || error.ambiguous;
      if (ambiguous) {
        op.mayLandUntil = this.clock.now() + PRICE_LATE_APPLY_MS;
        const settled = await this.settleOne(lane, op, `answer lost (${(error as Error).message.slice(0, 200)})`);
        if (settled === 'applied') return;
        throw new PriceWriteIncompleteError(`price write ${op.id} to ${lane.shop.platform} is ${settled}`);
      }
      await this.finish(op, 'not_applied', `refused: ${(error as Error).message}`);
      this.count(lane, 'failed');
      throw error;
    }
    await this.finish(op, 'applied');
    await this.seen([lane], { [lane.binding.id]: priceFen });
    this.count(lane, 'applied');
  }

  /**
   * Journaled writes left pending (a crash, or a lost answer) are settled by reading back. Answers
   * the reason the SKU must wait (a write that may still land, or one not readable yet), if any.
   */
  private async settle(lanes: PriceLane[], merchantSkuId: string): Promise<string | undefined> {
    let wait: string | undefined;
    for (const op of await this.repo.pendingOps(merchantSkuId)) {
      const lane = lanes.find((l) => l.binding.id === op.bindingId);
      if (!lane) {
        await this.finish(op, 'not_applied', 'listing no longer bound or its shop not active: outcome never read back');
        continue;
      }
      // A writer that died mid-call: its write may land late too, counted from when it was journaled.
      op.mayLandUntil ??= op.createdAt + PRICE_LATE_APPLY_MS;
      const settled = await this.settleOne(lane, op, op.note ?? 'writer gone before the answer');
      if (settled === 'unreadable') wait ??= `price write ${op.id} could not be read back yet`;
      if (settled === 'may_land') wait ??= `price write ${op.id} may still land until ${op.mayLandUntil}`;
    }
    return wait;
  }

  /**
   * Reads one journaled write back: `applied` when the platform shows its price; while it shows
   * another and the write may still land, it stays pending (`may_land`); after that, `not_applied`.
   */
  private async settleOne(
    lane: PriceLane,
    op: PriceWriteOpEntity,
    why: string,
  ): Promise<'applied' | 'not_applied' | 'may_land' | 'unreadable'> {
    let shown: number;
    try {
      shown = await this.listings.livePrice(lane);
    } catch (error) {
      this.logger.warn(`reading back price write ${op.id} failed: ${(error as Error).message}`);
      if (op.mayLandUntil !== null) await this.keepPending(op, `${why}; not read back yet`);
      return 'unreadable';
    }
    await this.seen([lane], { [lane.binding.id]: shown });
    const reason = why.replace(/; (read back|not read back yet|may still land).*$/, '');
    if (shown === op.priceFen) {
      await this.finish(op, 'applied', `${reason}; read back: the platform shows ${shown} fen`);
      this.count(lane, 'applied_read_back');
      return 'applied';
    }
    if (op.mayLandUntil !== null && op.mayLandUntil > this.clock.now()) {
      await this.keepPending(op, `${reason}; may still land: the platform shows ${shown} fen, not ${op.priceFen}`);
      return 'may_land';
    }
    await this.finish(op, 'not_applied', `${reason}; read back: the platform shows ${shown} fen, not ${op.priceFen}`);
    this.count(lane, 'not_applied_read_back');
    return 'not_applied';
  }

  private async keepPending(op: PriceWriteOpEntity, note: string): Promise<void> {
    op.note = note.slice(0, 500);
    await this.db.transaction(() => this.repo.saveOp(op));
  }

  private async finish(op: PriceWriteOpEntity, status: PriceWriteOpEntity['status'], note?: string): Promise<void> {
    op.status = status;
    op.settledAt = this.clock.now();
    if (note) op.note = note.slice(0, 500);
    await this.db.transaction(() => this.repo.saveOp(op));
  }

  /** Keeps the last price each listing showed (the DB-side audit groups over it). */
  private async seen(lanes: PriceLane[], prices: ListingPrices): Promise<void> {
    const now = this.clock.now();
    const rows = lanes
      .filter((l) => prices[l.binding.id] !== undefined)
      .map((l) =>
        Object.assign(new ListingPriceEntity(), {
          bindingId: l.binding.id,
          merchantId: l.binding.merchantId,
          merchantSkuId: l.binding.merchantSkuId,
          platform: l.shop.platform,
          connectionId: l.shop.connectionId,
          platformItemId: l.binding.platformItemId,
          platformSkuId: l.binding.platformSkuId,
          priceFen: prices[l.binding.id],
          observedAt: now,
        }),
      );
    await this.db.transaction(() => this.repo.observe(rows));
  }

  private count(lane: PriceLane, outcome: string): void {
    this.metrics.counter(METRICS.priceWritesTotal).inc({ platform: lane.shop.platform, outcome });
  }

  private async locked(merchantSkuId: string, work: () => Promise<void>): Promise<void> {
    const lock = await NamedLock.tryAcquire(this.db.dataSource, `pricing:sku:${merchantSkuId}`, 30);
    if (!lock) throw new PriceWriteIncompleteError(`the price writer of SKU ${merchantSkuId} is busy`);
    try {
      await work();
    } finally {
      await lock.release();
    }
  }
}

const parityKey = (merchantSkuId: string) => `pricing:parity:${merchantSkuId}`;
const planKey = (merchantSkuId: string) => `pricing:plan:${merchantSkuId}`;
const effectiveKey = (merchantSkuId: string) => `pricing:effective:${merchantSkuId}`;

/** The same observation gives the same event id, so the receiver can spot repeats. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
