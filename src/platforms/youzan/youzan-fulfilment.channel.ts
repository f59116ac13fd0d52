import { Carrier } from '../carriers';
import { PlatformError } from '../platform-error';
import { FulfilmentPort, ShipmentInput } from '../ports/fulfilment.port';
import { ShopRef } from '../ports/platform.types';
import { YOUZAN_EXPRESS_NAMES, youzanExpressId } from './youzan-carriers';
import { READ, youzanInvalid } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { idString } from './youzan-values';

const ALREADY_SHIPPED = '102570007';

/** Youzan fulfilment: `logistics.online.confirm` (partial by line `oids`), carriers from `logistics.express.get`. */
export class YouzanFulfilmentChannel implements FulfilmentPort {
  readonly platform = 'youzan' as const;
  /** Youzan has no ship-by time on orders. */
  readonly platformShipBy = false;
  private expressByName?: Promise<Map<Carrier, string>>;

  constructor(private readonly http: YouzanHttpClient) {}

  /** Ship is safe to repeat: a repeat answers 102570007 "already shipped", taken as success. */
  async shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void> {
    const expressId = await this.expressId(shop, shipment.carrier);
    // Youzan ships whole lines: a line's quantity cannot be split across parcels through this API.
    const lineIds = shipment.lines?.map((l) => l.lineId) ?? shipment.lineIds;
    const params: YouzanParams = {
      tid: shipment.orderId,
      is_no_express: 0,
      out_stype: expressId,
      out_sid: shipment.trackingNo,
      oids: lineIds?.length ? lineIds.join(',') : undefined,
    };
    try {
      await this.http.call(shop, 'youzan.logistics.online.confirm', '3.0.0', params, READ);
    } catch (error) {
      if (error instanceof PlatformError && error.rawCode === ALREADY_SHIPPED) return;
      throw error;
    }
  }

  private async expressId(shop: ShopRef, carrier: Carrier): Promise<string> {
    const known = youzanExpressId(carrier);
    if (known) return known;
    this.expressByName ??= this.loadExpressNames(shop).catch((error: unknown) => {
      this.expressByName = undefined;
      throw error;
    });
    const id = (await this.expressByName).get(carrier);
    const api = 'youzan.logistics.online.confirm';
    if (!id) throw youzanInvalid(api, `carrier ${carrier} is not in Youzan's express company list`);
    return id;
  }

  private async loadExpressNames(shop: ShopRef): Promise<Map<Carrier, string>> {
    const data = (await this.http.call(shop, 'youzan.logistics.express.get', '3.0.0', {}, READ)) as {
      allExpress?: { id?: number | string; name?: string }[];
    };
    const found = new Map<Carrier, string>();
    for (const [carrier, names] of Object.entries(YOUZAN_EXPRESS_NAMES) as [Carrier, string[]][]) {
      const hit = (data.allExpress ?? []).find((e) => names.some((n) => (e.name ?? '').includes(n)));
      if (hit) found.set(carrier, idString(hit.id));
    }
    return found;
  }
}
