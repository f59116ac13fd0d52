import { ApiDef, checkRange, cursorPage, OpenApiDeps, read, write } from './kuaishou-api.common';
import { ksError } from './kuaishou-emulator.errors';
import { DAY_MS } from './kuaishou-emulator.model';
import { feeView, orderView } from './kuaishou-emulator.views';

const ORDER_WINDOW_MS = 7 * DAY_MS;
const ORDER_VIEW_STATUS: Record<number, number | undefined> = {
  1: undefined,
  2: 10,
  3: 30,
  4: 40,
  5: 50,
  6: 70,
  7: 80,
};

/** Order APIs: the cursor list, detail, fees, delivery (whole or split). */
export function orderApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  return {
    'open.order.cursor.list': read('merchant_order', ({ shop, p, now }) => {
      const view = p.int('orderViewStatus');
      if (!(view in ORDER_VIEW_STATUS)) throw ksError.invalid('orderViewStatus 只能为1-7');
      const pageSize = p.int('pageSize');
      if (pageSize < 1 || pageSize > deps.maxOrderPageSize)
        throw ksError.invalid(`pageSize 必须在1-${deps.maxOrderPageSize}之间`);
      const begin = p.int('beginTime');
      const end = p.int('endTime');
      checkRange(begin, end, now, ORDER_WINDOW_MS, {
        range: ksError.invalid('查询时间跨度不能超过7天'),
        lookBack: ksError.invalid('只能查询最近90天的订单'),
      });
      const byUpdate = (p.int('queryType', true) ?? 1) === 2;
      const status = ORDER_VIEW_STATUS[view];
      const time = (o: { createTime: number; updateTime: number }) => (byUpdate ? o.updateTime : o.createTime);
      const rows = store
        .readableOrdersOf(shop.openId)
        .filter((o) => time(o) >= begin && time(o) <= end && (status === undefined || o.status === status));
      const { page, next } = cursorPage(
        rows,
        time,
        (o) => o.oid,
        (p.int('sort', true) ?? 1) === 2,
        p.string('cursor', true) ?? '',
        pageSize,
      );
      return {
        data: {
          pageSize,
          beginTime: begin,
          endTime: end,
          cursor: next,
          orderList: page.map((o) => orderView(o, store)),
        },
      };
    }),
    'open.order.detail': read('merchant_order', ({ shop, p }) => ({
      data: orderView(store.shopOrder(shop, p.long('oid'), true), store),
    })),
    'open.seller.order.fee.detail': read('merchant_order', ({ shop, p }) => ({
      data: feeView(store.shopOrder(shop, p.long('orderId'))),
    })),
    'open.seller.order.goods.deliver': write('merchant_order', ({ shop, p }) => {
      store.deliver(shop, p.long('orderId'), p.string('expressNo'), p.int('expressCode'));
      return undefined;
    }),
    'open.order.goods.split.deliver': write('merchant_order', ({ shop, p }) => {
      const packages = (p.objects('deliveryItemInfoList') ?? []).map((pkg) => ({
        expressCode: pkg.int('expressCode'),
        expressNo: pkg.string('expressNo'),
        goods: (pkg.objects('deliveryGoodsInfoList') ?? []).map((g) => ({
          oid: g.long('oid'),
          deliveryNum: g.int('deliveryNum'),
        })),
      }));
      store.splitDeliver(shop, p.long('mainOrderId'), packages);
      return undefined;
    }),
  };
}
