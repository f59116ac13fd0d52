import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';

export interface ErpAnswer {
  status: number;
  body: {
    duplicate?: boolean;
    results?: { skuCode: string; outcome: string }[];
    error?: string;
    message?: string;
    fields?: unknown;
  };
}

export interface ErpKey {
  keyId: string;
  secret: string;
}

/** An ERP's signed stock delivery with one of the merchant's credentials, as an ERP system would send it. */
export async function sendErpStock(
  appUrl: string,
  credential: ErpKey,
  updates: { skuCode: string; onHand: number; sequence: number; shippedThrough?: number }[],
  options: {
    deliveryId?: string;
    secret?: string;
    timestamp?: number;
    rawBody?: string;
    signedDeliveryId?: string;
  } = {},
): Promise<ErpAnswer> {
  const body = options.rawBody ?? JSON.stringify({ updates });
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const deliveryId = options.deliveryId ?? randomUUID();
  const res = await fetch(`${appUrl}/webhooks/erp/stock`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ERP_HEADERS.keyId]: credential.keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: deliveryId,
      [ERP_HEADERS.signature]: signErpPayload(
        options.secret ?? credential.secret,
        timestamp,
        options.signedDeliveryId ?? deliveryId,
        body,
      ),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as ErpAnswer['body'] };
}

/** An ERP's signed shipment delivery (`POST /webhooks/erp/shipments`). */
export async function sendErpShipment(
  appUrl: string,
  credential: ErpKey,
  shipment: { orderId: string; carrier: string; trackingNo: string; lines?: { lineId: string; quantity: number }[] },
  options: { deliveryId?: string; secret?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(shipment);
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = options.deliveryId ?? randomUUID();
  const res = await fetch(`${appUrl}/webhooks/erp/shipments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ERP_HEADERS.keyId]: credential.keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: deliveryId,
      [ERP_HEADERS.signature]: signErpPayload(options.secret ?? credential.secret, timestamp, deliveryId, body),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
