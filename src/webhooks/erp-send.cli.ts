import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '../auth/erp-signature';
import { serviceUrl } from '../config/service-url';

/**
 * Sends a signed ERP stock delivery, as an ERP system would (handy for the sandbox and for ERP
 * vendors checking their signing):
 *   npm run erp:stock -- --key=<key id> --secret=<secret> DEMO-TEE-RED-M=10 DEMO-TEE-BLUE-L=25 [--url=http://localhost:3000] [--sequence=N]
 * Without --url it posts to PUBLIC_BASE_URL, else http://localhost:$PORT (3000), as `npm start` listens.
 * The key id and secret are one of the merchant's ERP credentials (the merchant owner creates them);
 * --key and --secret default to ERP_KEY_ID and ERP_SECRET.
 */
async function main(): Promise<void> {
  const arg = (name: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const updates = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map((pair) => {
      const [skuCode, onHand] = pair.split('=');
      return { skuCode, onHand: Number(onHand), sequence: Number(arg('sequence') ?? Date.now()) };
    });
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
  const keyId = arg('key') ?? process.env.ERP_KEY_ID;
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
  const secret = arg('secret') ?? process.env.ERP_SECRET;
  if (!keyId || !secret || !updates.length || updates.some((u) => !u.skuCode || !Number.isInteger(u.onHand))) {
    throw new Error(
      'usage: npm run erp:stock -- --key=<key id> --secret=<secret> SKU=onHand [SKU=onHand …] [--url=…] [--sequence=N]',
    );
  }
  const body = JSON.stringify({ updates });
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = randomUUID();
  const res = await fetch(`${serviceUrl(arg('url'))}/webhooks/erp/stock`, {
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
