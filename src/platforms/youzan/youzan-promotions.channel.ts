import { createHash } from 'node:crypto';
import { Clock } from '@app/common/clock';
import { changeSettles, endSettles, isEnded, writeCoupon } from '../coupon-write';
import { PlatformError } from '../platform-error';
import { PageRequest, ShopRef } from '../ports/platform.types';
import {
  ChannelCoupon,
  CouponChange,
  CouponDraft,
  CouponFeatures,
  CouponUsage,
  PromotionsPort,
} from '../ports/promotions.port';
import { RawCouponGroup } from './youzan-api.types';
import { MAX_PAGE_SIZE, READ, WRITE_ONCE } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { epochMsToBeijing, fenToYuanString, idString, longParam } from './youzan-values';
import { mapCoupon } from './youzan.mapper';

const COUPON_MARKER_PREFIX = 'kwaizan:';

/** Youzan promotions: promo cards (`ump.promocard.add`, `ump.coupon.search`, `ump.coupon.detail.get`). */
export class YouzanPromotionsChannel implements PromotionsPort {
  readonly platform = 'youzan' as const;
  /** promocard.add takes `preferential_type` 2 + `discount`; voucheractivity.edit changes total, end and quota. */
  readonly couponFeatures: CouponFeatures = { rate: true, lowerStock: true, editEnd: true, editPerBuyerLimit: true };

  constructor(
    private readonly http: YouzanHttpClient,
    private readonly clock: Clock,
  ) {}

  async listCoupons(shop: ShopRef, page: PageRequest): Promise<{ coupons: ChannelCoupon[]; total: number }> {
    const pageSize = Math.min(Math.max(1, page.pageSize), MAX_PAGE_SIZE);
    const data = await this.couponPage(shop, Math.max(1, page.page), pageSize);
    const now = this.clock.now();
    return { coupons: (data.groups ?? []).map((g) => mapCoupon(g, now)), total: data.total ?? 0 };
  }

  /**
   * `promocard.add` is not idempotent and has no client key. The idempotency key is written into
   * the coupon's 使用说明 (`description`, returned by coupon.search) as `kwaizan:<hash>`; a create
   * first looks for that marker, and an ambiguous failure is settled by looking again.
   */
  async createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }> {
    const hash = createHash('sha256').update(draft.idempotencyKey).digest('hex').slice(0, 16);
    const marker = `${COUPON_MARKER_PREFIX}${hash}`;
    const existing = await this.findCouponByMarker(shop, marker);
    if (existing) return { couponId: existing };
    const params: YouzanParams = {
      title: draft.name,
      ...(draft.payPercent === undefined
        ? { value: fenToYuanString(draft.discountFen), preferential_type: 1 }
        : { preferential_type: 2, discount: draft.payPercent }),
      is_at_least: draft.thresholdFen > 0 ? 1 : 0,
      at_least: fenToYuanString(draft.thresholdFen),
      total: draft.totalStock,
      quota: draft.perBuyerLimit,
      need_user_level: 0,
      range_type: draft.itemIds?.length ? 'PART' : 'ALL',
      specify_item_ids: draft.itemIds?.length ? draft.itemIds.join(',') : undefined,
      date_type: 1,
      start_at: epochMsToBeijing(draft.startsAt),
      end_at: epochMsToBeijing(draft.endsAt),
      description: marker,
    };
    try {
      const data = (await this.http.call(shop, 'youzan.ump.promocard.add', '3.0.0', params, WRITE_ONCE)) as {
        promocard?: RawCouponGroup;
      };
      return { couponId: idString(data.promocard?.group_id ?? data.promocard?.id) };
    } catch (error) {
      if (error instanceof PlatformError && error.ambiguous) {
        const landed = await this.findCouponByMarker(shop, marker);
        if (landed) return { couponId: landed };
      }
      throw error;
    }
  }

  async getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage> {
    const params = { id: longParam(couponId) };
    const data = (await this.http.call(shop, 'youzan.ump.coupon.detail.get', '3.0.0', params, READ)) as {
      group?: RawCouponGroup;
    };
    const group = data.group ?? {};
    return { couponId, issued: group.total_take ?? 0, used: group.total_used ?? 0 };
  }

  async getCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon> {
    const params = { id: longParam(couponId) };
    const data = (await this.http.call(shop, 'youzan.ump.coupon.detail.get', '3.0.0', params, READ)) as {
      group?: RawCouponGroup;
    };
    return mapCoupon(data.group ?? {}, this.clock.now());
  }

  /**
   * `youzan.ump.voucheractivity.suspendsend` 3.0.0 (invalidate the activity). Its parameter names are
   * unconfirmed (fact sheet §3.12): the activity id is sent as `id`.
   */
  endCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon> {
    // An unclear answer, or "already invalid" on a repeat: what the platform has now decides.
    const params = { id: longParam(couponId) };
    return writeCoupon(
      () => this.http.call(shop, 'youzan.ump.voucheractivity.suspendsend', '3.0.0', params, WRITE_ONCE),
      () => this.getCoupon(shop, couponId),
      endSettles,
      isEnded,
    );
  }

  /**
   * `youzan.ump.voucheractivity.edit` 3.0.0 with absolute values (repeat-safe). Parameter names are
   * unconfirmed (fact sheet §3.12): `id`, and the promocard names `total`, `quota`, `end_at`.
   */
  async changeCoupon(shop: ShopRef, couponId: string, change: CouponChange): Promise<ChannelCoupon> {
    const params: YouzanParams = {
      id: longParam(couponId),
      ...(change.totalStock === undefined ? {} : { total: change.totalStock }),
      ...(change.perBuyerLimit === undefined ? {} : { quota: change.perBuyerLimit }),
      ...(change.endsAt === undefined ? {} : { end_at: epochMsToBeijing(change.endsAt) }),
    };
    return writeCoupon(
      () => this.http.call(shop, 'youzan.ump.voucheractivity.edit', '3.0.0', params, WRITE_ONCE),
      () => this.getCoupon(shop, couponId),
      changeSettles,
      (now) => matches(now, change),
    );
  }

  private async couponPage(
    shop: ShopRef,
    pageNo: number,
    pageSize: number,
  ): Promise<{ groups?: RawCouponGroup[]; total?: number }> {
    const params = { page_no: pageNo, page_size: pageSize, group_type: 'PROMOCARD' };
    return (await this.http.call(shop, 'youzan.ump.coupon.search', '3.0.0', params, READ)) as {
      groups?: RawCouponGroup[];
      total?: number;
    };
  }

  private async findCouponByMarker(shop: ShopRef, marker: string): Promise<string | undefined> {
    for (let pageNo = 1; pageNo <= 50; pageNo++) {
      const data = await this.couponPage(shop, pageNo, MAX_PAGE_SIZE);
      const groups = data.groups ?? [];
      const hit = groups.find((g) => (g.description ?? '').includes(marker));
      if (hit) return idString(hit.id ?? hit.group_id);
      if (groups.length < MAX_PAGE_SIZE || pageNo * MAX_PAGE_SIZE >= (data.total ?? 0)) return undefined;
    }
    return undefined;
  }
}

function matches(coupon: ChannelCoupon, change: CouponChange): boolean {
  return (
    (change.totalStock === undefined || coupon.totalStock === change.totalStock) &&
    (change.perBuyerLimit === undefined || coupon.perBuyerLimit === change.perBuyerLimit) &&
    // Youzan keeps whole seconds.
    (change.endsAt === undefined || Math.abs(coupon.endsAt - change.endsAt) < 1_000)
  );
}
