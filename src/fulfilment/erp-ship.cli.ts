import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '../auth/erp-signature';
import { serviceUrl } from '../config/service-url';

/**
 * Sends a signed ERP shipment, as an ERP system would (handy for the sandbox and for ERP vendors
 * checking their signing):
 *   npm run erp:ship -- --key=<key id> --secret=<secret> --order=<any order id> --carrier=SF --waybill=SF1234567890 [LINE=QTY …] [--url=http://localhost:3000]
 * LINE=QTY pairs ship part of the order (Kuaishou: units of its one line; Youzan: whole lines);
 * none ships the whole order. --key and --secret default to ERP_KEY_ID and ERP_SECRET.
 */
async function main(): Promise<void> {
  const arg = (name: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const lines = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map((pair) => {
      const [lineId, quantity] = pair.split('=');
      return { lineId, quantity: Number(quantity) };
    });
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
  const keyId = arg('key') ?? process.env.ERP_KEY_ID;
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
  const secret = arg('secret') ?? process.env.ERP_SECRET;
  const [orderId, carrier, trackingNo] = [arg('order'), arg('carrier'), arg('waybill')];
  if (
    !keyId ||
    !secret ||
    !orderId ||
    !carrier ||
    !trackingNo ||
    lines.some((l) => !l.lineId || !Number.isInteger(l.quantity))
  ) {
    throw new Error(
      'usage: npm run erp:ship -- --key=<key id> --secret=<secret> --order=<order id> --carrier=<code> --waybill=<no> [LINE=QTY …] [--url=…]',
    );
  }
  const body = JSON.stringify({ orderId, carrier, trackingNo, ...(lines.length ? { lines } : {}) });
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = randomUUID();
  const res = await fetch(`${serviceUrl(arg('url'))}/webhooks/erp/shipments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ERP_HEADERS.keyId]: keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: deliveryId,
      [ERP_HEADERS.signature]: signErpPayload(secret, timestamp, deliveryId, body),
    },
    body,
  });
  console.log(res.status, await res.text());
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
