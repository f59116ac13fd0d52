import { PlatformError } from '../platform-error';
import { FulfilmentPort, ShipmentInput } from '../ports/fulfilment.port';
import { ShopRef } from '../ports/platform.types';
import { KuaishouApi } from './kuaishou-api.client';
import { kuaishouExpressCode } from './kuaishou-carriers';
import { toKuaishouLong } from './kuaishou-ids';
import { KsOrder } from './kuaishou-wire.types';

/** Kuaishou fulfilment: `open.seller.order.goods.deliver` with the carrier's `expressCode`. */
export class KuaishouFulfilmentChannel implements FulfilmentPort {
  readonly platform = 'kuaishou' as const;
  /** Orders carry `validPromiseShipmentTimeStamp`. */
  readonly platformShipBy = true;

  constructor(private readonly api: KuaishouApi) {}

  async shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void> {
    const api = 'open.seller.order.goods.deliver';
    if (shipment.lineIds && !shipment.lineIds.every((lineId) => lineId === shipment.orderId)) {
      const message = `${api}: a Kuaishou order has one line, its id is the order id`;
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message });
    }
    const expressCode = kuaishouExpressCode(shipment.carrier);
    const orderId = toKuaishouLong(shipment.orderId);
    try {
      await this.api.call(shop, api, { orderId, expressNo: shipment.trackingNo, expressCode }, true);
    } catch (error) {
      // A retry after an ambiguous first attempt is refused once the order has shipped: check whether it was ours.
      if (!(error instanceof PlatformError) || error.code !== 'INVALID_REQUEST') throw error;
      const detail = (await this.api.call(shop, 'open.order.detail', { oid: orderId }, true)).data as KsOrder;
      const shipped = detail.orderBaseInfo.status >= 40 && detail.orderBaseInfo.status !== 80;
      if (!shipped || !(detail.orderLogisticsInfo ?? []).some((l) => l.expressNo === shipment.trackingNo)) throw error;
    }
  }
}
