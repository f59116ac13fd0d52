import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { DomainException, InvalidInputException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { NamedLock } from '../database/named-lock';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { isPlatformError } from '../platforms/platform-error';
import { CHANNELS, ChannelRegistry } from '../platforms/ports/channel.registry';
import { ShopRef } from '../platforms/ports/platform.types';
import { ChannelCoupon, CouponChange } from '../platforms/ports/promotions.port';
import { CampaignService, CampaignView, view } from './campaign.service';
import { CouponCampaignEntity } from './coupon-campaign.entity';
import { CouponChangeEntity } from './coupon-change.entity';
import { CouponChannelEntity } from './coupon-channel.entity';
import { DiscountGuardRegistry, DiscountRefusedException } from './discount-guard';
import { PromotionsRepository } from './promotions.repository';

export interface CampaignEdit {
  /** Coupons in total across the platforms (never below what was claimed). */
  budget?: number;
  endsAt?: number;
  perBuyerLimit?: number;
}

export interface BudgetMove {
  /** Coupons moved, 0 when demand did not call for a move (or no side could give any). */
  moved: number;
  from: string | null;
  to: string | null;
  campaign: CampaignView;
}

export const COUPON_CHANGE_REPLAY = 'promotions.coupon-change';
const changeKey = (campaignId: string, platform: string) => `coupon-change:${campaignId}:${platform}`;

interface PlanSide {
  channel: { platform: string };
  total: number;
  claimed: number;
  spare: number;
}

/** A channel's coupon as the platform has it now: its total stock and how many were claimed. */
interface Side extends PlanSide {
  channel: CouponChannelEntity;
  shop: ShopRef;
  total: number;
  claimed: number;
  spare: number;
}

/**
 * Ending and editing a campaign on every platform, and moving its budget between them. Every
 * platform write is journaled (coupon_change) before the call and settled by the coupon read
 * back; a failed one is a failure-center record whose retry re-sends the latest target.
 */
@Injectable()
export class CampaignChangeService {
  private readonly logger = new Logger(CampaignChangeService.name);
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly repo: PromotionsRepository,
    private readonly campaigns: CampaignService,
    private readonly failures: SyncFailureService,
    private readonly guards: DiscountGuardRegistry,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Stops claims on every platform. Repeat-safe: an ended coupon counts as done. */
  end(merchantId: string, campaignId: string): Promise<CampaignView> {
    return this.locked(campaignId, 60, async () => {
      const campaign = await this.campaigns.getForMerchant(merchantId, campaignId);
      await this.db.transaction(() => this.repo.updateCampaign(campaign.id, { status: 'ended' }));
      campaign.status = 'ended';
      const channels = await this.repo.channelsOf([campaign.id]);
      for (const channel of channels) {
        if (channel.status === 'ended') continue;
        if (!channel.couponId) {
          // Never created: nothing to end on the platform, and sync creates nothing for an ended campaign.
          Object.assign(channel, { status: 'ended', updatedAt: this.clock.now() });
          await this.db.transaction(() => this.repo.saveChannel(channel));
          continue;
        }
        const ended = await this.send(merchantId, campaign, channel, 'end', {});
        if (ended) {
          Object.assign(channel, { status: 'ended', lastError: null, updatedAt: this.clock.now() });
          await this.db.transaction(() => this.repo.saveChannel(channel));
        }
      }
      this.campaigns.forgetLiveCoupons(channels.map((c) => c.connectionId));
      return view(campaign, channels);
    });
  }

  /**
   * Budget, end and per-buyer limit, on every platform, where each platform allows it (4xx with the
   * reason otherwise, before any platform call). A lower budget lowers a platform before a higher one raises another.
   */
  edit(merchantId: string, campaignId: string, edit: CampaignEdit): Promise<CampaignView> {
    return this.locked(campaignId, 60, async () => {
      const campaign = await this.campaigns.getForMerchant(merchantId, campaignId);
      const channels = await this.repo.channelsOf([campaign.id]);
      const fields: { field: string; messages: string[] }[] = [];
      if (campaign.status === 'ended')
        throw new DomainException('CAMPAIGN_ENDED', 'the campaign has ended', 'conflict');
      if (edit.budget === undefined && edit.endsAt === undefined && edit.perBuyerLimit === undefined)
        fields.push({ field: 'budget', messages: ['give budget, endsAt or perBuyerLimit'] });
      if (edit.endsAt !== undefined && edit.endsAt <= campaign.startsAt)
        fields.push({ field: 'endsAt', messages: ['endsAt must be after startsAt'] });
      if (channels.some((c) => !c.couponId))
        fields.push({ field: 'budget', messages: ['a coupon is not created yet on every platform: sync first'] });
      for (const c of channels) {
        const can = this.channels.promotions(c.platform).couponFeatures;
        if (edit.endsAt !== undefined && !can.editEnd)
          fields.push({ field: 'endsAt', messages: [`${c.platform} cannot move a coupon's end after creation`] });
        if (edit.perBuyerLimit !== undefined && !can.editPerBuyerLimit)
          fields.push({
            field: 'perBuyerLimit',
            messages: [`${c.platform} cannot change a coupon's per-buyer limit after creation`],
          });
      }
      if (fields.length) throw new InvalidInputException('INVALID_CAMPAIGN_EDIT', 'the change is not possible', fields);
      // A later end runs the discount beside whatever runs then: the parity guard checks that stretch.
      if (edit.endsAt !== undefined && edit.endsAt > campaign.endsAt && this.guards.active) {
        const running = await this.campaigns.discountsDuring(merchantId, campaign.endsAt, edit.endsAt, { fresh: true });
        const verdict = await this.guards.check(
          merchantId,
          {
            name: campaign.name,
            platforms: channels.map((c) => c.platform),
            discountFen: campaign.discountFen,
            ...(campaign.payPercent === null
              ? {}
              : { payPercent: campaign.payPercent, maxDiscountFen: campaign.maxMerchantDiscountFen }),
            thresholdFen: campaign.thresholdFen,
            startsAt: campaign.endsAt,
            endsAt: edit.endsAt,
          },
          running.filter((d) => d.campaignId !== campaign.id),
        );
        // An edit cannot lower the discount, so a clamp policy refuses it too.
        if (verdict.verdict !== 'allowed') throw new DiscountRefusedException(verdict.refusal);
      }

      if (edit.budget !== undefined && edit.budget !== campaign.budget) {
        const sides = await this.read(channels);
        const plan = planBudget(sides, edit.budget, (s) => this.lowerable(s));
        if (typeof plan === 'string')
          throw new InvalidInputException('INVALID_CAMPAIGN_EDIT', 'the change is not possible', [
            { field: 'budget', messages: [plan] },
          ]);
        if (edit.budget > campaign.budget) await this.setBudget(campaign, edit.budget);
        const lowered = await this.applyTotals(merchantId, campaign, sides, plan, 'lower');
        if (!lowered)
          throw new DomainException(
            'COUPON_CHANGE_FAILED',
            'a platform did not lower its coupon (see failures); nothing was raised',
            'conflict',
          );
        await this.applyTotals(merchantId, campaign, sides, plan, 'raise');
        if (edit.budget < campaign.budget) await this.setBudget(campaign, edit.budget);
      }
      const rest: CouponChange = {
        ...(edit.endsAt === undefined ? {} : { endsAt: edit.endsAt }),
        ...(edit.perBuyerLimit === undefined ? {} : { perBuyerLimit: edit.perBuyerLimit }),
      };
      if (Object.keys(rest).length) {
        let all = true;
        for (const c of channels) all = (await this.send(merchantId, campaign, c, 'change', rest)) !== undefined && all;
        if (all) {
          await this.db.transaction(() => this.repo.updateCampaign(campaign.id, rest));
          Object.assign(campaign, rest);
        }
      }
      return view(campaign, await this.repo.channelsOf([campaign.id]));
    });
  }

  /**
   * Moves unclaimed coupons to the platform running out: when one side has claimed all but
   * `lowWater` of its share and another side can give, half of the giver's spare moves. The giver
   * is lowered (and read back) before the taker is raised, so the platforms' totals never add up to
   * more than the budget. Kuaishou's stock cannot be lowered: it gives by replacing its coupon.
   */
  rebalance(merchantId: string, campaignId: string, waitSeconds = 60): Promise<BudgetMove> {
    return this.locked(campaignId, waitSeconds, async () => {
      const campaign = await this.campaigns.getForMerchant(merchantId, campaignId);
      const channels = await this.repo.channelsOf([campaign.id]);
      const none = { moved: 0, from: null, to: null };
      if (campaign.status === 'ended' || channels.length < 2 || channels.some((c) => c.status !== 'created'))
        return { ...none, campaign: view(campaign, channels) };
      let sides = await this.read(channels);
      for (let attempt = 0; attempt < 3; attempt++) {
        const taker = [...sides].sort((a, b) => a.spare - b.spare)[0];
        const low = Math.max(1, Math.floor(taker.total / 10));
        const giver = sides
          .filter((s) => s !== taker && this.lowerable(s) && s.spare > 0)
          .sort((a, b) => b.spare - a.spare)[0];
        if (taker.spare === 0 && (!giver || giver.spare <= taker.spare)) {
          // A platform that cannot lower a stock (Kuaishou) gives by replacing its coupon: only to a
          // side its own buyers emptied, so coupons do not swing back and forth.
          const fixed = sides
            .filter((s) => s !== taker && !this.lowerable(s) && s.spare >= 2 && s.spare > taker.spare)
            .sort((a, b) => b.spare - a.spare)[0];
          if (fixed) return this.replaceAndMove(merchantId, campaign, sides, fixed, taker);
        }
        if (taker.spare > low || !giver || giver.spare <= taker.spare)
          return { ...none, campaign: view(campaign, channels) };
        const moved = Math.max(1, Math.floor(giver.spare / 2));
        const totals = new Map([
          [giver.channel.platform, giver.total - moved],
          [taker.channel.platform, taker.total + moved],
        ]);
        if (await this.applyTotals(merchantId, campaign, sides, totals, 'lower')) {
          await this.applyTotals(merchantId, campaign, sides, totals, 'raise');
          return {
            moved,
            from: giver.channel.platform,
            to: taker.channel.platform,
            campaign: view(campaign, await this.repo.channelsOf([campaign.id])),
          };
        }
        // Claims landed between the read and the write (the platform refuses a total below them): read again.
        sides = await this.read(channels);
      }
      return { ...none, campaign: view(campaign, channels) };
    });
  }

  /**
   * Moves budget off a platform whose coupon stock can only grow (Kuaishou): its coupon is ended
   * first (claims stop; read back, so its claims are final), then the taker is raised by half of
   * what it had left, then a new coupon with the other half replaces it. At no point can the
   * platforms issue more than the budget; between the end and the new coupon, that platform's
   * buyers cannot claim (a lost claim, never an excess one). The ended coupon's id stays known for
   * orders that redeem what was claimed, and its claims keep counting.
   */
  private async replaceAndMove(
    merchantId: string,
    campaign: CouponCampaignEntity,
    sides: Side[],
    giver: Side,
    taker: Side,
  ): Promise<BudgetMove> {
    const none = { moved: 0, from: null, to: null };
    const channel = giver.channel;
    const oldCouponId = channel.couponId!;
    const ended = await this.send(merchantId, campaign, channel, 'end', {});
    if (!ended) return { ...none, campaign: view(campaign, await this.repo.channelsOf([campaign.id])) };
    const usage = await this.channels.promotions(channel.platform).getCouponUsage(giver.shop, oldCouponId);
    const claimed = usage.issued;
    const freed = ended.totalStock - claimed;
    const moved = Math.floor(freed / 2);
    const kept = freed - moved;
    const generation = (channel.retiredCouponIds ?? '').split(',').filter(Boolean).length + 1;
    // Journaled before any further call: a crash leaves a pending channel that sync creates by its key.
    Object.assign(channel, {
      retiredCouponIds: [channel.retiredCouponIds, oldCouponId].filter(Boolean).join(','),
      retiredClaimed: channel.retiredClaimed + claimed,
      couponId: null,
      status: kept > 0 ? 'pending' : 'ended',
      allotted: kept,
      idempotencyKey: `${channel.idempotencyKey.replace(/:r\d+$/, '')}:r${generation}`,
      lastError: null,
      updatedAt: this.clock.now(),
    });
    await this.db.transaction(() => this.repo.saveChannel(channel));
    const totals = new Map([[taker.channel.platform, taker.total + moved]]);
    if (moved > 0) await this.applyTotals(merchantId, campaign, sides, totals, 'raise');
    // The replacement coupon (same terms, the kept share), created as a campaign's coupons are.
    const after =
      kept > 0
        ? await this.campaigns.sync(merchantId, campaign.id)
        : view(campaign, await this.repo.channelsOf([campaign.id]));
    return { moved, from: channel.platform, to: taker.channel.platform, campaign: after };
  }

  /**
   * Best-effort after new redemptions were recorded: skipped when another change to the campaign
   * holds it (the order feed does not wait); a failure is logged, the next order tries again.
   */
  async rebalanceQuietly(merchantId: string, campaignId: string): Promise<void> {
    try {
      await this.rebalance(merchantId, campaignId, 0);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'CAMPAIGN_BUSY') return;
      this.logger.warn(`rebalance of campaign ${campaignId} failed: ${(error as Error).message}`);
    }
  }

  /** Re-sends each channel's latest unsettled change (the failure-center retry). */
  async settle(merchantId: string, campaignId: string): Promise<{ unsettled: string[] }> {
    return this.locked(campaignId, 60, async () => {
      const campaign = await this.campaigns.getForMerchant(merchantId, campaignId);
      const channels = await this.repo.channelsOf([campaign.id]);
      const changes = await this.repo.changesOf(campaign.id);
      const unsettled: string[] = [];
      for (const channel of channels) {
        const latest = changes.filter((c) => c.platform === channel.platform).at(-1);
        if (!latest || latest.status === 'done') continue;
        const ok = await this.send(merchantId, campaign, channel, latest.kind, latest.target, latest);
        if (ok && latest.kind === 'end') {
          Object.assign(channel, { status: 'ended', lastError: null, updatedAt: this.clock.now() });
          await this.db.transaction(() => this.repo.saveChannel(channel));
        }
        if (!ok) unsettled.push(`${channel.platform}: ${latest.lastError ?? 'not settled'}`);
      }
      return { unsettled };
    });
  }

  private lowerable(side: Side): boolean {
    return this.channels.promotions(side.channel.platform).couponFeatures.lowerStock;
  }

  private async setBudget(campaign: CouponCampaignEntity, budget: number): Promise<void> {
    await this.db.transaction(() => this.repo.updateCampaign(campaign.id, { budget }));
    campaign.budget = budget;
  }

  /** Sets the sides whose target total is below (`lower`) or above (`raise`) what they have. */
  private async applyTotals(
    merchantId: string,
    campaign: CouponCampaignEntity,
    sides: Side[],
    totals: Map<string, number>,
    direction: 'lower' | 'raise',
  ): Promise<boolean> {
    let all = true;
    for (const side of sides) {
      const target = totals.get(side.channel.platform);
      if (target === undefined || (direction === 'lower' ? target >= side.total : target <= side.total)) continue;
      const totalStock = target - side.channel.retiredClaimed;
      const after = await this.send(merchantId, campaign, side.channel, 'change', { totalStock });
      all = after !== undefined && all;
    }
    return all;
  }

  /**
   * One journaled platform write: the row first, then the call, then the row settled. The channel's
   * `allotted` follows the total read back. Undefined when the platform refused or did not confirm.
   */
  private async send(
    merchantId: string,
    campaign: CouponCampaignEntity,
    channel: CouponChannelEntity,
    kind: CouponChangeEntity['kind'],
    target: CouponChange,
    existing?: CouponChangeEntity,
  ): Promise<ChannelCoupon | undefined> {
    const now = this.clock.now();
    const row =
      existing ??
      Object.assign(new CouponChangeEntity(), {
        id: this.ids.uuid(),
        campaignId: campaign.id,
        platform: channel.platform,
        kind,
        target,
        status: 'pending' as const,
        lastError: null,
        createdAt: now,
        updatedAt: now,
      });
    await this.db.transaction(() => this.repo.saveChange(row));
    const shop = { platform: channel.platform, connectionId: channel.connectionId, shopId: channel.shopId };
    const port = this.channels.promotions(channel.platform);
    try {
      const after =
        kind === 'end'
          ? await port.endCoupon(shop, channel.couponId!)
          : await port.changeCoupon(shop, channel.couponId!, target);
      if (kind === 'change' && target.totalStock !== undefined && after.totalStock !== target.totalStock)
        throw new Error(`the coupon's total reads ${after.totalStock}, not ${target.totalStock}`);
      Object.assign(row, { status: 'done', lastError: null, updatedAt: this.clock.now() });
      Object.assign(channel, { allotted: after.totalStock, updatedAt: this.clock.now() });
      await this.db.transaction(async () => {
        await this.repo.saveChange(row);
        await this.repo.saveChannel(channel);
      });
      await this.failures.resolveByDedupeKey(changeKey(campaign.id, channel.platform));
      return after;
    } catch (error) {
      const message = String((error as Error).message).slice(0, 500);
      Object.assign(row, { status: 'failed', lastError: message, updatedAt: this.clock.now() });
      await this.db.transaction(() => this.repo.saveChange(row));
      await this.failures.record({
        context: 'promotions',
        operation: kind === 'end' ? 'coupon.end' : 'coupon.change',
        errorCode: isPlatformError(error) ? error.code : 'INTERNAL',
        reason: `campaign ${campaign.name}: ${kind} ${JSON.stringify(target)} on ${channel.platform} not confirmed (${message})`,
        platform: channel.platform,
        shopRef: channel.shopId,
        entityType: 'coupon-campaign',
        entityRef: campaign.id,
        platformCode: isPlatformError(error) ? (error.rawCode ?? null) : null,
        platformMessage: isPlatformError(error) ? (error.rawMessage ?? error.message) : null,
        replay: { kind: COUPON_CHANGE_REPLAY, data: { merchantId, campaignId: campaign.id } },
        dedupeKey: changeKey(campaign.id, channel.platform),
      });
      return undefined;
    }
  }

  /** Each side's total and claims as its platform counts them now. */
  private async read(channels: CouponChannelEntity[]): Promise<Side[]> {
    const sides: Side[] = [];
    for (const channel of channels) {
      const shop = { platform: channel.platform, connectionId: channel.connectionId, shopId: channel.shopId };
      const port = this.channels.promotions(channel.platform);
      const coupon = await port.getCoupon(shop, channel.couponId!);
      const usage = await port.getCouponUsage(shop, channel.couponId!);
      // Claims on coupons this one replaced are final and count against the budget like its own.
      sides.push({
        channel,
        shop,
        total: coupon.totalStock + channel.retiredClaimed,
        claimed: usage.issued + channel.retiredClaimed,
        spare: coupon.totalStock - usage.issued,
      });
    }
    return sides;
  }

  /**
   * One change at a time per campaign: in this process by a promise chain, across instances by a
   * named database lock (GET_LOCK), so two moves never work from the same read of the platforms.
   */
  private async locked<T>(campaignId: string, waitSeconds: number, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(campaignId) ?? Promise.resolve();
    const exclusive = async () => {
      const lock = await NamedLock.tryAcquire(this.db.dataSource, `coupon-campaign:${campaignId}`, waitSeconds);
      if (!lock)
        throw new DomainException('CAMPAIGN_BUSY', 'another change to this campaign is running: try again', 'conflict');
      try {
        return await work();
      } finally {
        await lock.release();
      }
    };
    const run = before.then(exclusive, exclusive);
    const tail = run.catch(() => undefined);
    this.locks.set(campaignId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(campaignId) === tail) this.locks.delete(campaignId);
    }
  }
}

/**
 * The new total per platform for a new budget, or why it cannot be: a lower budget comes out of
 * the spare (unclaimed) coupons of platforms that can lower a stock, the most spare first; a higher
 * one goes to the platform with the least spare (the one in demand).
 */
export function planBudget<S extends PlanSide>(
  sides: S[],
  budget: number,
  lowerable: (side: S) => boolean,
): Map<string, number> | string {
  const totals = new Map(sides.map((s) => [s.channel.platform, s.total]));
  const current = sides.reduce((sum, s) => sum + s.total, 0);
  const claimed = sides.reduce((sum, s) => sum + s.claimed, 0);
  if (budget < claimed) return `budget cannot go below the ${claimed} coupons already claimed`;
  if (budget >= current) {
    const taker = [...sides].sort((a, b) => a.spare - b.spare)[0];
    totals.set(taker.channel.platform, taker.total + (budget - current));
    return totals;
  }
  let cut = current - budget;
  for (const side of [...sides].filter((s) => lowerable(s)).sort((a, b) => b.spare - a.spare)) {
    const take = Math.min(cut, Math.max(0, side.spare));
    totals.set(side.channel.platform, side.total - take);
    cut -= take;
  }
  if (cut > 0) {
    const fixed = sides.filter((s) => !lowerable(s)).map((s) => s.channel.platform);
    return (
      `budget can go down to ${budget + cut} at most: ` +
      (fixed.length ? `${fixed.join(', ')} cannot lower a coupon's stock, ` : '') +
      'and claimed coupons stay'
    );
  }
  return totals;
}
