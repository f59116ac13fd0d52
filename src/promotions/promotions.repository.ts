import { Injectable } from '@nestjs/common';
import { EntityTarget, In, ObjectLiteral } from 'typeorm';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { CouponAnomalyEntity } from './coupon-anomaly.entity';
import { CouponCampaignEntity } from './coupon-campaign.entity';
import { CouponChangeEntity } from './coupon-change.entity';
import { CouponChannelEntity } from './coupon-channel.entity';
import { CouponRedemptionEntity } from './coupon-redemption.entity';

export interface PlatformRedemptions {
  platform: string;
  redeemed: number;
  merchantFen: number;
  platformFen: number;
}

@Injectable()
export class PromotionsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  async insertCampaign(campaign: CouponCampaignEntity, channels: CouponChannelEntity[]): Promise<void> {
    await this.m.getRepository(CouponCampaignEntity).insert(campaign);
    if (channels.length) await this.m.getRepository(CouponChannelEntity).insert(channels);
  }

  campaign(id: string): Promise<CouponCampaignEntity | null> {
    return this.m.getRepository(CouponCampaignEntity).findOneBy({ id });
  }

  campaignsOf(merchantId: string): Promise<CouponCampaignEntity[]> {
    return this.m.getRepository(CouponCampaignEntity).find({ where: { merchantId }, order: { createdAt: 'DESC' } });
  }

  /** The merchant's campaigns whose window covers `at` and whose budget is not used up. */
  /** Campaigns whose window overlaps [from, to) and whose budget is not used up. */
  campaignsDuring(merchantId: string, from: number, to: number): Promise<CouponCampaignEntity[]> {
    return this.m
      .getRepository(CouponCampaignEntity)
      .createQueryBuilder('c')
      .where('c.merchant_id = :merchantId AND c.starts_at < :to AND c.ends_at > :from', { merchantId, from, to })
      .andWhere('c.redeemed_count < c.budget')
      .getMany();
  }

  /** Campaigns running now on more than one platform (the rebalance job's work), oldest first. */
  liveCampaigns(at: number, limit: number): Promise<CouponCampaignEntity[]> {
    return this.m
      .getRepository(CouponCampaignEntity)
      .createQueryBuilder('c')
      .where("c.status = 'live' AND c.starts_at <= :at AND c.ends_at > :at", { at })
      .andWhere('(SELECT COUNT(*) FROM coupon_channel ch WHERE ch.campaign_id = c.id) > 1')
      .orderBy('c.created_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Every coupon the service created for the merchant, by platform. */
  async couponIdsOf(merchantId: string): Promise<{ platform: string; couponId: string }[]> {
    const rows: { platform: string; coupon_id: string | null; retired_coupon_ids: string | null }[] =
      await this.m.query(
        'SELECT ch.platform, ch.coupon_id, ch.retired_coupon_ids FROM coupon_channel ch ' +
          'JOIN coupon_campaign c ON c.id = ch.campaign_id WHERE c.merchant_id = ?',
        [merchantId],
      );
    return rows.flatMap((r) =>
      [r.coupon_id, ...(r.retired_coupon_ids ?? '').split(',')]
        .filter((id): id is string => !!id)
        .map((id) => ({ platform: r.platform, couponId: String(id) })),
    );
  }

  async setCampaignStatus(id: string, status: CouponCampaignEntity['status']): Promise<void> {
    await this.m.getRepository(CouponCampaignEntity).update({ id }, { status });
  }

  async updateCampaign(
    id: string,
    fields: Partial<Pick<CouponCampaignEntity, 'status' | 'budget' | 'endsAt' | 'perBuyerLimit'>>,
  ): Promise<void> {
    await this.m.getRepository(CouponCampaignEntity).update({ id }, fields);
  }

  async saveChange(change: CouponChangeEntity): Promise<void> {
    await this.m.getRepository(CouponChangeEntity).save(change);
  }

  changesOf(campaignId: string): Promise<CouponChangeEntity[]> {
    return this.m.getRepository(CouponChangeEntity).find({ where: { campaignId }, order: { createdAt: 'ASC' } });
  }

  channelsOf(campaignIds: string[]): Promise<CouponChannelEntity[]> {
    if (!campaignIds.length) return Promise.resolve([]);
    return this.m.getRepository(CouponChannelEntity).find({ where: { campaignId: In(campaignIds) } });
  }

  async saveChannel(channel: CouponChannelEntity): Promise<void> {
    await this.m.getRepository(CouponChannelEntity).save(channel);
  }

  /** False when the order's coupon was already recorded (a re-read of the same order). */
  async insertRedemption(row: CouponRedemptionEntity): Promise<boolean> {
    return this.insertOnce(CouponRedemptionEntity, row);
  }

  /**
   * One atomic increment (the row stays locked to the end of the transaction), then the count it
   * produced: two orders recorded at once each see their own number, neither loses the other's.
   */
  async countRedemption(campaignId: string, merchantFen: number, platformFen: number): Promise<number> {
    await this.m
      .createQueryBuilder()
      .update(CouponCampaignEntity)
      .set({
        redeemedCount: () => 'redeemed_count + 1',
        merchantCostFen: () => `merchant_cost_fen + ${Math.trunc(merchantFen)}`,
        platformCostFen: () => `platform_cost_fen + ${Math.trunc(platformFen)}`,
      })
      .where('id = :campaignId', { campaignId })
      .execute();
    const row = await this.m.getRepository(CouponCampaignEntity).findOneByOrFail({ id: campaignId });
    return row.redeemedCount;
  }

  async redemptionsByPlatform(campaignId: string): Promise<PlatformRedemptions[]> {
    const rows: { platform: string; redeemed: string; merchantFen: string | null; platformFen: string | null }[] =
      await this.m
        .getRepository(CouponRedemptionEntity)
        .createQueryBuilder('r')
        .select('r.platform', 'platform')
        .addSelect('COUNT(*)', 'redeemed')
        .addSelect('SUM(r.merchant_fen)', 'merchantFen')
        .addSelect('SUM(r.platform_fen)', 'platformFen')
        .where('r.campaign_id = :campaignId', { campaignId })
        .groupBy('r.platform')
        .getRawMany();
    return rows.map((r) => ({
      platform: r.platform,
      redeemed: Number(r.redeemed),
      merchantFen: Number(r.merchantFen ?? 0),
      platformFen: Number(r.platformFen ?? 0),
    }));
  }

  /** False when this kind was already recorded for the order. */
  async insertAnomaly(row: CouponAnomalyEntity): Promise<boolean> {
    return this.insertOnce(CouponAnomalyEntity, row);
  }

  async anomalyCountsSince(since: number): Promise<{ merchantId: string; platform: string; n: number }[]> {
    const rows = await this.m
      .getRepository(CouponAnomalyEntity)
      .createQueryBuilder('a')
      .select('a.merchant_id', 'merchantId')
      .addSelect('a.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('a.detected_at >= :since', { since })
      .groupBy('a.merchant_id')
      .addGroupBy('a.platform')
      .getRawMany<{ merchantId: string; platform: string; n: number | string }>();
    return rows.map((r) => ({ merchantId: r.merchantId, platform: r.platform, n: Number(r.n) }));
  }

  anomaliesOf(merchantId: string, campaignId?: string): Promise<CouponAnomalyEntity[]> {
    return this.m.getRepository(CouponAnomalyEntity).find({
      where: campaignId ? { merchantId, campaignId } : { merchantId },
      order: { detectedAt: 'ASC' },
    });
  }

  /** The unique index decides: a duplicate means "already recorded". */
  private async insertOnce<T extends ObjectLiteral>(entity: EntityTarget<T>, row: T): Promise<boolean> {
    try {
      await this.m.getRepository(entity).insert(row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
