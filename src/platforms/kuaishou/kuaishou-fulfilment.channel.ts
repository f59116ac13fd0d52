import { PlatformError } from '../platform-error';
import { FulfilmentPort, ShipmentInput } from '../ports/fulfilment.port';
import { ShopRef } from '../ports/platform.types';
import { KuaishouApi } from './kuaishou-api.client';
import { kuaishouExpressCode } from './kuaishou-carriers';
import { toKuaishouLong } from './kuaishou-ids';
import { KsOrder } from './kuaishou-wire.types';

const DELIVER = 'open.seller.order.goods.deliver';
const SPLIT_DELIVER = 'open.order.goods.split.deliver';

/**
 * Kuaishou fulfilment: `open.seller.order.goods.deliver` ships every unit of an order (one oid, one
 * line) with the carrier's `expressCode`; a shipment of part of the units goes through
 * `open.order.goods.split.deliver` (one package per call).
 */
export class KuaishouFulfilmentChannel implements FulfilmentPort {
  readonly platform = 'kuaishou' as const;
  /** Orders carry `validPromiseShipmentTimeStamp`. */
  readonly platformShipBy = true;

  constructor(private readonly api: KuaishouApi) {}

  async shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void> {
    const lineIds = shipment.lines?.map((l) => l.lineId) ?? shipment.lineIds;
    if (lineIds && !lineIds.every((lineId) => lineId === shipment.orderId)) {
      const message = `${DELIVER}: a Kuaishou order has one line, its id is the order id`;
      throw new PlatformError({ platform: 'kuaishou', api: DELIVER, code: 'INVALID_REQUEST', message });
    }
    const expressCode = kuaishouExpressCode(shipment.carrier);
    const orderId = toKuaishouLong(shipment.orderId);
    const units = shipment.lines?.reduce((sum, l) => sum + l.quantity, 0);
    const api = units === undefined ? DELIVER : SPLIT_DELIVER;
    try {
      if (units === undefined)
        await this.api.call(shop, DELIVER, { orderId, expressNo: shipment.trackingNo, expressCode }, true);
      else
        await this.api.call(
          shop,
          SPLIT_DELIVER,
          {
            mainOrderId: orderId,
            deliveryItemInfoList: [
              {
                expressCode,
                expressNo: shipment.trackingNo,
                deliveryGoodsInfoList: [{ oid: orderId, deliveryNum: units }],
              },
            ],
          },
          true,
        );
    } catch (error) {
      // A retry after an ambiguous first attempt is refused once the package landed: check whether it was ours.
      if (!(error instanceof PlatformError) || error.code !== 'INVALID_REQUEST' || error.rawCode === '11') throw error;
      const detail = (await this.api.call(shop, 'open.order.detail', { oid: orderId }, true)).data as KsOrder;
      const status = detail.orderBaseInfo.status;
      const delivered = detail.orderDeliveryInfo?.deliveryNum ?? 0;
      const landed = api === DELIVER ? status >= 40 && status !== 80 : delivered > 0;
      const ours = (detail.orderLogisticsInfo ?? []).some(
        (l) => l.expressNo === shipment.trackingNo && Number(l.expressCode) === expressCode,
      );
      if (!landed || !ours) throw error;
    }
  }
}
