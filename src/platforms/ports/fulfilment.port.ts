import { Carrier } from '../carriers';
import { Platform, ShopRef } from './platform.types';

export interface ShipmentInput {
  orderId: string;
  carrier: Carrier;
  trackingNo: string;
  /** Partial shipment of these lines (Youzan); absent ships the whole order. */
  lineIds?: string[];
}

/** Fulfilment: shipping orders with a carrier (mapped to the platform's express codes) and waybill. */
export interface FulfilmentPort {
  readonly platform: Platform;
  /** Ship-by time is provided by the platform on each order (ChannelOrder.shipBy). */
  readonly platformShipBy: boolean;
  /** Safe to repeat: a repeat of a shipment that landed is taken as success. */
  shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void>;
}
