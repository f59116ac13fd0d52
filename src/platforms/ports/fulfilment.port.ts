import { Carrier } from '../carriers';
import { Platform, ShopRef } from './platform.types';

/** Units of one order line in a shipment. */
export interface ShipmentLineInput {
  lineId: string;
  quantity: number;
}

export interface ShipmentInput {
  orderId: string;
  carrier: Carrier;
  trackingNo: string;
  /** Partial shipment of these lines (Youzan: whole lines); absent ships the whole order. */
  lineIds?: string[];
  /**
   * Partial shipment by quantity (Kuaishou split delivery: units of the order's one line). Takes
   * precedence over `lineIds`; absent ships the whole order.
   */
  lines?: ShipmentLineInput[];
}

/** Fulfilment: shipping orders with a carrier (mapped to the platform's express codes) and waybill. */
export interface FulfilmentPort {
  readonly platform: Platform;
  /** Ship-by time is provided by the platform on each order (ChannelOrder.shipBy). */
  readonly platformShipBy: boolean;
  /**
   * Safe to repeat: a repeat of a shipment that landed (same waybill) is taken as success. A
   * refusal (hold, refund, waybill check) is a PlatformError with the platform's reason.
   */
  shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void>;
}
