import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import { CLOCK, Clock } from '../common/clock';
import { InvalidInputException, NotFoundDomainException, DomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { isPlatformError } from '../platforms/platform-error';
import { CHANNELS, ChannelRegistry } from '../platforms/ports/channel.registry';
import { Platform, PLATFORMS, ShopRef } from '../platforms/ports/platform.types';
import { ChannelCoupon, CouponUsage } from '../platforms/ports/promotions.port';
import { ANOMALY_KINDS, AnomalyKind, splitBudget } from './coupon-anomalies';
import { CouponCampaignEntity } from './coupon-campaign.entity';
import { CouponChannelEntity } from './coupon-channel.entity';
import { DiscountGuardRegistry, DiscountRefusedException } from './discount-guard';
import { PromotionsRepository } from './promotions.repository';

export interface CampaignInput {
  name: string;
  /** Amount off (fen); or give `payPercent` for a discount-rate coupon. */
  discountFen?: number;
  /** The buyer pays this percent (88 = 8.8折); only platforms with rate coupons (Youzan). */
  payPercent?: number;
  /** Run on these connected platforms only; absent = every connected platform. */
  platforms?: Platform[];
  thresholdFen: number;
  budget: number;
  perBuyerLimit: number;
  maxMerchantDiscountFen?: number;
  startsAt: number;
  endsAt: number;
}

export interface CampaignView {
  id: string;
  name: string;
  discountFen: number;
  payPercent: number | null;
  thresholdFen: number;
  budget: number;
  perBuyerLimit: number;
  maxMerchantDiscountFen: number;
  startsAt: number;
  endsAt: number;
  status: CouponCampaignEntity['status'];
  redeemed: number;
  channels: { platform: Platform; couponId: string | null; allotted: number; status: string; error: string | null }[];
  /** On creation only: the discount was lowered to keep the price parity limit (policy `clamp`). */
  parity?: { clampedFrom: { discountFen: number } | { payPercent: number }; skuCount: number };
}

export interface CampaignReport {
  campaign: CampaignView;
  platforms: {
    platform: Platform;
    couponId: string | null;
    allotted: number;
    /** As the platform counts them (null when it could not be read). */
    claimed: number | null;
    used: number | null;
    /** As the service saw them on orders. */
    redeemed: number;
    merchantCostFen: number;
    platformCostFen: number;
  }[];
  claimedTotal: number;
  redeemedTotal: number;
  merchantCostFen: number;
  platformCostFen: number;
  remainingBudget: number;
  anomalies: Record<AnomalyKind, number>;
}

/**
 * A merchant-funded coupon running on one platform: a campaign's coupon (`campaign`), or one the
 * platform lists that the service did not create (`platform`, e.g. made in the back office).
 */
export interface RunningDiscount {
  platform: Platform;
  source: 'campaign' | 'platform';
  /** The campaign it belongs to (null for a coupon made outside the service). */
  campaignId: string | null;
  couponId: string | null;
  name: string;
  discountFen: number;
  thresholdFen: number;
  /** A rate coupon: the buyer pays this percent. */
  payPercent?: number;
  /** The most a rate coupon takes off one order, where the campaign says so. */
  maxDiscountFen?: number;
  /** Only these platform items; absent = the whole shop. */
  itemIds?: string[];
}

/** How long a shop's coupon list read from its platform is reused (audits of many SKUs read it once). */
export const LIVE_COUPONS_TTL_MS = 10_000;
const LIVE_COUPON_PAGES = 20;
const LIVE_COUPON_PAGE_SIZE = 50;

export const COUPON_CREATE_REPLAY = 'promotions.coupon-create';
const couponCreateKey = (campaignId: string, platform: Platform) => `coupon-create:${campaignId}:${platform}`;

export class CampaignNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('CAMPAIGN_NOT_FOUND', `no campaign ${id}`);
  }
}

/**
 * Coupon campaigns: one definition, one coupon per connected platform. The budget is split between
 * the platforms as the coupons' stocks, so the platforms themselves never let claims exceed it.
 */
@Injectable()
export class CampaignService {
  private readonly logger = new Logger(CampaignService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: PromotionsRepository,
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly failures: SyncFailureService,
    private readonly guards: DiscountGuardRegistry,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async create(merchantId: string, input: CampaignInput): Promise<CampaignView> {
    await this.merchants.get(merchantId);
    const fields: { field: string; messages: string[] }[] = [];
    const rate = input.payPercent !== undefined;
    const discountFen = rate ? 0 : (input.discountFen ?? 0);
    if (rate && input.discountFen !== undefined)
      fields.push({ field: 'payPercent', messages: ['give either discountFen (amount off) or payPercent (rate)'] });
    if (!rate && input.discountFen === undefined)
      fields.push({ field: 'discountFen', messages: ['discountFen or payPercent is required'] });
    // Kuaishou refuses a threshold at or below the discount (other than none at all).
    if (!rate && input.thresholdFen !== 0 && input.thresholdFen <= discountFen)
      fields.push({ field: 'thresholdFen', messages: ['thresholdFen must be 0 or greater than discountFen'] });
    if (input.endsAt <= input.startsAt) fields.push({ field: 'endsAt', messages: ['endsAt must be after startsAt'] });
    const maxMerchant = input.maxMerchantDiscountFen ?? discountFen;
    if (rate && input.maxMerchantDiscountFen === undefined)
      fields.push({
        field: 'maxMerchantDiscountFen',
        messages: ['a discount-rate campaign needs maxMerchantDiscountFen (the most it may take off one order)'],
      });
    else if (maxMerchant < discountFen)
      fields.push({
        field: 'maxMerchantDiscountFen',
        messages: ['maxMerchantDiscountFen must be at least discountFen'],
      });
    const active = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    const wanted = input.platforms?.length ? PLATFORMS.filter((p) => input.platforms!.includes(p)) : PLATFORMS;
    const shops = wanted.map((p) => active.find((c) => c.platform === p)).filter((c) => c !== undefined);
    for (const p of wanted.filter((p) => input.platforms?.includes(p) && !shops.some((s) => s.platform === p)))
      fields.push({ field: 'platforms', messages: [`no connected ${p} shop`] });
    if (!shops.length && !fields.length)
      throw new DomainException('NO_CONNECTED_SHOP', 'connect a Kuaishou or Youzan shop first');
    // A platform that cannot run a rate coupon refuses the whole campaign: nothing half-created.
    if (rate)
      for (const shop of shops.filter((s) => !this.channels.promotions(s.platform).couponFeatures.rate))
        fields.push({
          field: 'payPercent',
          messages: [
            `${shop.platform} has no discount-rate coupons (its coupon API takes an amount off only): ` +
              `give discountFen, or platforms without ${shop.platform}`,
          ],
        });
    if (input.budget < shops.length)
      fields.push({ field: 'budget', messages: [`budget must be at least ${shops.length} (one per platform)`] });
    if (fields.length) throw new InvalidInputException('INVALID_CAMPAIGN', 'the campaign is not valid', fields);

    // The effective prices after it must stay within each SKU's parity limit: refused, or clamped by policy.
    let parity: CampaignView['parity'];
    let clampedDiscountFen = discountFen;
    let clampedPayPercent = rate ? input.payPercent! : undefined;
    if (this.guards.active) {
      const running = await this.discountsDuring(merchantId, input.startsAt, input.endsAt, { fresh: true });
      const verdict = await this.guards.check(
        merchantId,
        {
          name: input.name,
          platforms: shops.map((s) => s.platform),
          discountFen,
          ...(rate ? { payPercent: input.payPercent!, maxDiscountFen: maxMerchant } : {}),
          thresholdFen: input.thresholdFen,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
        },
        running,
      );
      if (verdict.verdict === 'refused') throw new DiscountRefusedException(verdict.refusal);
      if (verdict.verdict === 'clamped') {
        clampedDiscountFen = rate ? 0 : verdict.discountFen;
        if (rate) clampedPayPercent = verdict.payPercent;
        parity = {
          clampedFrom: rate ? { payPercent: input.payPercent! } : { discountFen },
          skuCount: verdict.refusal.skuCount,
        };
      }
    }

    const now = this.clock.now();
    const campaign = Object.assign(new CouponCampaignEntity(), {
      id: this.ids.uuid(),
      merchantId,
      name: input.name,
      discountFen: clampedDiscountFen,
      payPercent: rate ? clampedPayPercent! : null,
      thresholdFen: input.thresholdFen,
      budget: input.budget,
      perBuyerLimit: input.perBuyerLimit,
      maxMerchantDiscountFen: rate || input.maxMerchantDiscountFen !== undefined ? maxMerchant : clampedDiscountFen,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      status: 'creating' as const,
      redeemedCount: 0,
      merchantCostFen: 0,
      platformCostFen: 0,
      createdAt: now,
    });
    const shares = splitBudget(
      input.budget,
      shops.map((s) => s.platform),
    );
    // Journaled before any platform call: a crash leaves pending rows that a sync settles by their key.
    const channels = shops.map((shop) =>
      Object.assign(new CouponChannelEntity(), {
        id: this.ids.uuid(),
        campaignId: campaign.id,
        platform: shop.platform,
        connectionId: shop.id,
        shopId: shop.shopId,
        allotted: shares.get(shop.platform) ?? 0,
        idempotencyKey: `kwaizan-campaign:${campaign.id}:${shop.platform}`,
        couponId: null,
        retiredCouponIds: null,
        retiredClaimed: 0,
        status: 'pending' as const,
        lastError: null,
        updatedAt: now,
      }),
    );
    await this.db.transaction(() => this.repo.insertCampaign(campaign, channels));
    const created = await this.sync(merchantId, campaign.id);
    return parity ? { ...created, parity } : created;
  }

  /** Creates every coupon not created yet (repeat-safe on both platforms by the idempotency key). */
  async sync(merchantId: string, campaignId: string): Promise<CampaignView> {
    const campaign = await this.getForMerchant(merchantId, campaignId);
    const channels = await this.repo.channelsOf([campaign.id]);
    // An ended campaign creates nothing more (its changes are settled by CampaignChangeService).
    if (campaign.status === 'ended') return view(campaign, channels);
    for (const channel of channels.filter((c) => c.status === 'pending' || c.status === 'failed')) {
      const shop = { platform: channel.platform, connectionId: channel.connectionId, shopId: channel.shopId };
      try {
        const { couponId } = await this.channels.promotions(channel.platform).createCoupon(shop, {
          name: campaign.name,
          discountFen: campaign.discountFen,
          ...(campaign.payPercent === null ? {} : { payPercent: campaign.payPercent }),
          thresholdFen: campaign.thresholdFen,
          totalStock: channel.allotted,
          perBuyerLimit: campaign.perBuyerLimit,
          startsAt: campaign.startsAt,
          endsAt: campaign.endsAt,
          idempotencyKey: channel.idempotencyKey,
        });
        Object.assign(channel, { couponId, status: 'created', lastError: null });
        await this.failures.resolveByDedupeKey(couponCreateKey(channel.campaignId, channel.platform));
      } catch (error) {
        Object.assign(channel, { status: 'failed', lastError: String((error as Error).message).slice(0, 500) });
        await this.failures.record({
          context: 'promotions',
          operation: 'coupon.create',
          errorCode: isPlatformError(error) ? error.code : 'INTERNAL',
          reason: `campaign ${campaign.name}: the ${channel.platform} coupon was not created (${channel.lastError})`,
          platform: channel.platform,
          shopRef: channel.shopId,
          merchantId: campaign.merchantId,
          entityType: 'coupon-campaign',
          entityRef: campaign.id,
          platformCode: isPlatformError(error) ? (error.rawCode ?? null) : null,
          platformMessage: isPlatformError(error) ? (error.rawMessage ?? error.message) : null,
          replay: { kind: COUPON_CREATE_REPLAY, data: { merchantId, campaignId: campaign.id } },
          dedupeKey: couponCreateKey(channel.campaignId, channel.platform),
        });
      }
      channel.updatedAt = this.clock.now();
      await this.db.transaction(() => this.repo.saveChannel(channel));
    }
    // The shops' coupon lists changed (or may have): the next read goes to the platforms.
    this.forgetLiveCoupons(channels.map((c) => c.connectionId));
    campaign.status = channels.every((c) => c.status === 'created') ? 'live' : 'partial';
    await this.db.transaction(() => this.repo.setCampaignStatus(campaign.id, campaign.status));
    return view(campaign, channels);
  }

  async list(merchantId: string): Promise<CampaignView[]> {
    await this.merchants.get(merchantId);
    const campaigns = await this.repo.campaignsOf(merchantId);
    const channels = await this.repo.channelsOf(campaigns.map((c) => c.id));
    return campaigns.map((c) =>
      view(
        c,
        channels.filter((ch) => ch.campaignId === c.id),
      ),
    );
  }

  /** The merchant-funded discounts running at `at` (see `discountsDuring`). */
  async runningDiscounts(merchantId: string, at: number): Promise<RunningDiscount[]> {
    return this.discountsDuring(merchantId, at, at + 1);
  }

  /**
   * The merchant-funded discounts running at some point of [from, to): on every active shop, the
   * coupons its platform lists (so a coupon made in a back office counts), each of the service's
   * own campaigns matched to its coupon there. Where a platform's list cannot be read, the
   * service's own campaigns on it stand in. `fresh` skips the short-lived cache of the lists.
   */
  async discountsDuring(
    merchantId: string,
    from: number,
    to: number,
    options: { fresh?: boolean } = {},
  ): Promise<RunningDiscount[]> {
    const campaigns = await this.repo.campaignsDuring(merchantId, from, to);
    const channels = (await this.repo.channelsOf(campaigns.map((c) => c.id))).filter((ch) => ch.status === 'created');
    const byCoupon = new Map(channels.map((ch) => [`${ch.platform}:${ch.couponId}`, ch]));
    const ownCoupons = new Set((await this.repo.couponIdsOf(merchantId)).map((c) => `${c.platform}:${c.couponId}`));
    const out: RunningDiscount[] = [];
    const campaignDiscount = (ch: CouponChannelEntity): RunningDiscount => {
      const c = campaigns.find((x) => x.id === ch.campaignId)!;
      return {
        platform: ch.platform,
        source: 'campaign',
        campaignId: c.id,
        couponId: ch.couponId,
        name: c.name,
        discountFen: Math.min(c.discountFen, c.maxMerchantDiscountFen),
        thresholdFen: c.thresholdFen,
        ...(c.payPercent === null ? {} : { payPercent: c.payPercent, maxDiscountFen: c.maxMerchantDiscountFen }),
      };
    };
    const shops = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    for (const shop of shops) {
      const live = await this.liveCoupons(
        { platform: shop.platform, connectionId: shop.id, shopId: shop.shopId },
        options.fresh ?? false,
      );
      if (!live) {
        out.push(...channels.filter((ch) => ch.connectionId === shop.id).map(campaignDiscount));
        continue;
      }
      for (const coupon of live) {
        if (coupon.status === 'ended' || coupon.status === 'deleted') continue;
        if (coupon.startsAt >= to || (coupon.endsAt && coupon.endsAt <= from)) continue;
        const key = `${shop.platform}:${coupon.couponId}`;
        const channel = byCoupon.get(key);
        // One of the service's coupons whose campaign is over (ended, budget spent) no longer counts.
        if (!channel && ownCoupons.has(key)) continue;
        const known = channel ? campaignDiscount(channel) : undefined;
        out.push({
          platform: shop.platform,
          source: known ? 'campaign' : 'platform',
          campaignId: known?.campaignId ?? null,
          couponId: coupon.couponId,
          name: known?.name ?? coupon.name,
          // What the platform has now decides; the campaign adds only the cap of a rate coupon.
          discountFen: coupon.payPercent === undefined ? coupon.discountFen : 0,
          thresholdFen: coupon.thresholdFen,
          ...(coupon.payPercent === undefined ? {} : { payPercent: coupon.payPercent }),
          ...(known?.maxDiscountFen === undefined ? {} : { maxDiscountFen: known.maxDiscountFen }),
          ...(coupon.itemIds?.length ? { itemIds: coupon.itemIds } : {}),
        });
      }
    }
    return out;
  }

  private readonly liveCache = new Map<string, { at: number; coupons: ChannelCoupon[] }>();

  /** The next read of these shops' coupon lists goes to the platforms (after the service changed them). */
  forgetLiveCoupons(connectionIds: string[]): void {
    for (const id of connectionIds) this.liveCache.delete(id);
  }

  /** The shop's coupons as its platform lists them; undefined when they cannot be read now. */
  private async liveCoupons(shop: ShopRef, fresh: boolean): Promise<ChannelCoupon[] | undefined> {
    const now = this.clock.now();
    const cached = this.liveCache.get(shop.connectionId);
    if (!fresh && cached && now - cached.at < LIVE_COUPONS_TTL_MS) return cached.coupons;
    const coupons: ChannelCoupon[] = [];
    try {
      for (let page = 1; page <= LIVE_COUPON_PAGES; page++) {
        const answer = await this.channels
          .promotions(shop.platform)
          .listCoupons(shop, { page, pageSize: LIVE_COUPON_PAGE_SIZE });
        coupons.push(...answer.coupons);
        if (answer.coupons.length < LIVE_COUPON_PAGE_SIZE || page * LIVE_COUPON_PAGE_SIZE >= answer.total) break;
      }
    } catch (error) {
      this.logger.warn(`coupons of ${shop.platform} shop ${shop.shopId} not read: ${(error as Error).message}`);
      return undefined;
    }
    this.liveCache.set(shop.connectionId, { at: now, coupons });
    return coupons;
  }

  /** 404 for another merchant's campaign, so its existence is not confirmed. */
  async getForMerchant(merchantId: string, campaignId: string): Promise<CouponCampaignEntity> {
    const campaign = await this.repo.campaign(campaignId);
    if (!campaign || campaign.merchantId !== merchantId) throw new CampaignNotFoundException(campaignId);
    return campaign;
  }

  /** Claims and use as each platform counts them, cost by funder as seen on orders, the budget left. */
  async report(merchantId: string, campaignId: string): Promise<CampaignReport> {
    const campaign = await this.getForMerchant(merchantId, campaignId);
    const channels = await this.repo.channelsOf([campaign.id]);
    const recorded = await this.repo.redemptionsByPlatform(campaign.id);
    const platforms: CampaignReport['platforms'] = [];
    for (const channel of channels) {
      let usage: CouponUsage | undefined;
      if (channel.couponId) {
        const shop = { platform: channel.platform, connectionId: channel.connectionId, shopId: channel.shopId };
        usage = await this.channels
          .promotions(channel.platform)
          .getCouponUsage(shop, channel.couponId)
          .catch(() => undefined);
      }
      const mine = recorded.find((r) => r.platform === channel.platform);
      platforms.push({
        platform: channel.platform,
        couponId: channel.couponId,
        allotted: channel.allotted,
        claimed: usage ? usage.issued + channel.retiredClaimed : null,
        used: usage ? usage.used : null,
        redeemed: mine?.redeemed ?? 0,
        merchantCostFen: mine?.merchantFen ?? 0,
        platformCostFen: mine?.platformFen ?? 0,
      });
    }
    const claimedTotal = platforms.reduce((s, p) => s + (p.claimed ?? p.redeemed), 0);
    const redeemedTotal = platforms.reduce((s, p) => s + p.redeemed, 0);
    const anomalies = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
    for (const a of await this.repo.anomaliesOf(merchantId, campaign.id)) anomalies[a.kind]++;
    return {
      campaign: view(campaign, channels),
      platforms,
      claimedTotal,
      redeemedTotal,
      merchantCostFen: platforms.reduce((s, p) => s + p.merchantCostFen, 0),
      platformCostFen: platforms.reduce((s, p) => s + p.platformCostFen, 0),
      remainingBudget: Math.max(0, campaign.budget - Math.max(claimedTotal, redeemedTotal)),
      anomalies,
    };
  }
}

export function view(c: CouponCampaignEntity, channels: CouponChannelEntity[]): CampaignView {
  return {
    id: c.id,
    name: c.name,
    discountFen: c.discountFen,
    payPercent: c.payPercent,
    thresholdFen: c.thresholdFen,
    budget: c.budget,
    perBuyerLimit: c.perBuyerLimit,
    maxMerchantDiscountFen: c.maxMerchantDiscountFen,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    status: c.status,
    redeemed: c.redeemedCount,
    channels: channels.map((ch) => ({
      platform: ch.platform,
      couponId: ch.couponId,
      allotted: ch.allotted,
      status: ch.status,
      error: ch.lastError,
    })),
  };
}
