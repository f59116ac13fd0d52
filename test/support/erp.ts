import { randomUUID } from 'node:crypto';
import { SANDBOX_ERP_SECRET } from '../../src/config/app-config';
import { signErpPayload } from '../../src/webhooks/erp-signature';

export interface ErpAnswer {
  status: number;
  body: { duplicate?: boolean; results?: { skuCode: string; outcome: string }[]; error?: string; message?: string; fields?: unknown };
}

/** An ERP's signed stock delivery, as an ERP system would send it. */
export async function sendErpStock(
  appUrl: string,
  merchantId: string,
  updates: { skuCode: string; onHand: number; sequence: number; shippedThrough?: number }[],
  options: { deliveryId?: string; secret?: string; timestamp?: number; rawBody?: string } = {},
): Promise<ErpAnswer> {
  const body = options.rawBody ?? JSON.stringify({ merchantId, updates });
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${appUrl}/webhooks/erp/stock`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kwaizan-timestamp': String(timestamp),
      'x-kwaizan-signature': signErpPayload(options.secret ?? SANDBOX_ERP_SECRET, timestamp, body),
      'x-kwaizan-delivery': options.deliveryId ?? randomUUID(),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as ErpAnswer['body'] };
}
