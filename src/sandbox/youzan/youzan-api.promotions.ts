import { ApiDef, date, num, str } from './youzan-api.common';
import { parseYuan, yuan } from './youzan-emulator.codec';
import { BusinessError } from './youzan-emulator.errors';
import { couponView, time } from './youzan-emulator.views';

const COUPON_PARAM = 160000001;

/** Promotion APIs: coupon activities (promocards). */
export const PROMOTION_APIS: Record<string, ApiDef> = {
  'youzan.ump.promocard.add': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: {
      title: 'string!',
      value: 'string',
      discount: 'number',
      is_at_least: 'number!',
      at_least: 'string',
      total: 'number!',
      quota: 'number!',
      need_user_level: 'number!',
      range_type: 'string!',
      specify_item_ids: 'string',
      date_type: 'number',
      start_at: 'date',
      end_at: 'date',
      preferential_type: 'number',
      description: 'string',
    },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const preferentialType = num(p, 'preferential_type') ?? 1;
      if (preferentialType !== 1 && preferentialType !== 2)
        throw new BusinessError(COUPON_PARAM, 'preferential_type 只能是 1（代金）或 2（折扣）');
      const discount = preferentialType === 2 ? (num(p, 'discount') ?? 0) : 0;
      if (preferentialType === 2 && (!Number.isInteger(discount) || discount < 1 || discount > 99))
        throw new BusinessError(COUPON_PARAM, 'discount 必须为1-99的整数（88 表示 8.8 折）');
      const valueFen = preferentialType === 1 ? parseYuan(p.value) : 0;
      if (valueFen === undefined || (preferentialType === 1 && valueFen < 1))
        throw new BusinessError(COUPON_PARAM, 'value 单位为元，最多两位小数且大于0');
      const atLeast = num(p, 'is_at_least') === 1 ? parseYuan(p.at_least) : 0;
      if (atLeast === undefined) throw new BusinessError(COUPON_PARAM, 'at_least 单位为元，最多两位小数');
      const rangeType = str(p, 'range_type');
      if (rangeType !== 'ALL' && rangeType !== 'PART')
        throw new BusinessError(COUPON_PARAM, 'range_type 只能是 ALL 或 PART');
      const itemIds = (str(p, 'specify_item_ids') ?? '').split(',').filter(Boolean);
      if (rangeType === 'PART' && !itemIds.length)
        throw new BusinessError(COUPON_PARAM, 'range_type 为 PART 时 specify_item_ids 不能为空');
      const startAt = date(p, 'start_at');
      const endAt = date(p, 'end_at');
      if (startAt === undefined || endAt === undefined || endAt <= startAt)
        throw new BusinessError(COUPON_PARAM, 'start_at/end_at 必填且结束时间必须晚于开始时间');
      const coupon = ctx.store.addCoupon({
        kdtId: ctx.shop.kdtId,
        title: str(p, 'title') as string,
        valueFen,
        preferentialType,
        discount,
        atLeastFen: atLeast,
        total: num(p, 'total') as number,
        quota: num(p, 'quota') as number,
        rangeType,
        itemIds,
        startAt,
        endAt,
        description: str(p, 'description') ?? '',
      });
      const now = ctx.store.clock.now();
      return {
        promocard: {
          group_id: coupon.groupId,
          range_type: coupon.rangeType,
          title: coupon.title,
          value: yuan(coupon.valueFen),
          preferential_type: coupon.preferentialType,
          discount: coupon.discount,
          is_random: 0,
          need_user_level: 0,
          quota: coupon.quota,
          is_at_least: coupon.atLeastFen > 0 ? 1 : 0,
          at_least: yuan(coupon.atLeastFen),
          total: coupon.total,
          stock: coupon.stock,
          start_at: time(coupon.startAt),
          end_at: time(coupon.endAt),
          description: coupon.description,
          status: 0,
          is_expired: now > coupon.endAt ? 1 : 0,
          is_ongoing: now >= coupon.startAt && now <= coupon.endAt ? 1 : 0,
          created: time(coupon.created),
          stat_fetch_user_num: 0,
          stat_fetch_num: 0,
          stat_use_num: 0,
        },
      };
    },
  },
  'youzan.ump.coupon.search': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { group_type: 'string', page_no: 'number!', page_size: 'number!', status: 'string' },
    handle: (ctx) => {
      const now = ctx.store.clock.now();
      const pageNo = num(ctx.params, 'page_no') as number;
      const pageSize = num(ctx.params, 'page_size') as number;
      if (pageNo < 1 || pageSize < 1 || pageSize > 300)
        throw new BusinessError(COUPON_PARAM, 'page_no/page_size 不合法');
      const groupType = str(ctx.params, 'group_type');
      const status = str(ctx.params, 'status');
      let coupons =
        groupType === 'PROMOCODE' ? [] : [...ctx.store.coupons.values()].filter((c) => c.kdtId === ctx.shop.kdtId);
      if (status === 'FUTURE') coupons = coupons.filter((c) => now < c.startAt);
      else if (status === 'ON') coupons = coupons.filter((c) => now >= c.startAt && now <= c.endAt);
      else if (status === 'END') coupons = coupons.filter((c) => now > c.endAt);
      coupons.sort((a, b) => b.groupId - a.groupId);
      return {
        total: coupons.length,
        groups: coupons.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((c) => couponView(c, now)),
      };
    },
  },
  'youzan.ump.coupon.detail.get': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { id: 'long!' },
    handle: (ctx) => {
      const coupon = ctx.store.coupons.get(num(ctx.params, 'id') as number);
      if (!coupon || coupon.kdtId !== ctx.shop.kdtId) throw new BusinessError(160500001, '优惠活动不存在');
      return { group: couponView(coupon, ctx.store.clock.now()) };
    },
  },
  // The current voucher-activity APIs: their parameter names are unconfirmed (fact sheet §3.12);
  // the emulator takes the activity id as `id` and the legacy promocard field names.
  'youzan.ump.voucheractivity.suspendsend': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { id: 'long!' },
    write: true,
    handle: (ctx) => {
      const coupon = ctx.store.coupons.get(num(ctx.params, 'id') as number);
      if (!coupon || coupon.kdtId !== ctx.shop.kdtId) throw new BusinessError(160500001, '优惠活动不存在');
      if (coupon.suspended || ctx.store.clock.now() > coupon.endAt)
        throw new BusinessError(160500002, '优惠活动已失效');
      coupon.suspended = true;
      return { is_success: true };
    },
  },
  'youzan.ump.voucheractivity.edit': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { id: 'long!', total: 'number', quota: 'number', end_at: 'date' },
    write: true,
    handle: (ctx) => {
      const coupon = ctx.store.coupons.get(num(ctx.params, 'id') as number);
      if (!coupon || coupon.kdtId !== ctx.shop.kdtId) throw new BusinessError(160500001, '优惠活动不存在');
      if (coupon.suspended || ctx.store.clock.now() > coupon.endAt)
        throw new BusinessError(160500002, '优惠活动已失效');
      const total = num(ctx.params, 'total');
      const quota = num(ctx.params, 'quota');
      const endAt = date(ctx.params, 'end_at');
      if (total !== undefined && (!Number.isInteger(total) || total < coupon.totalTake || total < 1))
        throw new BusinessError(COUPON_PARAM, `total 不能小于已领取数量 ${coupon.totalTake}`);
      if (quota !== undefined && (!Number.isInteger(quota) || quota < 0))
        throw new BusinessError(COUPON_PARAM, 'quota 必须为非负整数');
      if (endAt !== undefined && endAt <= coupon.startAt)
        throw new BusinessError(COUPON_PARAM, 'end_at 必须晚于开始时间');
      if (total !== undefined) {
        coupon.total = total;
        coupon.stock = total - coupon.totalTake;
      }
      if (quota !== undefined) coupon.quota = quota;
      if (endAt !== undefined) coupon.endAt = endAt;
      return { is_success: true };
    },
  },
};
