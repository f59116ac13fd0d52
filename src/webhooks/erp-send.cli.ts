import { randomUUID } from 'node:crypto';
import { SANDBOX_ERP_SECRET } from '../config/app-config';
import { signErpPayload } from './erp-signature';

/**
 * Sends a signed ERP stock delivery, as an ERP system would (handy for the sandbox and for ERP
 * vendors checking their signing):
 *   npm run erp:stock -- --merchant=<id> DEMO-TEE-RED-M=10 DEMO-TEE-BLUE-L=25 [--url=http://localhost:3000] [--sequence=N]
 * The secret comes from --secret or ERP_WEBHOOK_SECRET (default: the sandbox secret).
 */
async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
  const merchantId = arg('merchant');
  const updates = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map((pair) => {
      const [skuCode, onHand] = pair.split('=');
      return { skuCode, onHand: Number(onHand), sequence: Number(arg('sequence') ?? Date.now()) };
    });
  if (!merchantId || !updates.length || updates.some((u) => !u.skuCode || !Number.isInteger(u.onHand))) {
    throw new Error('usage: npm run erp:stock -- --merchant=<id> SKU=onHand [SKU=onHand …] [--url=…] [--sequence=N] [--secret=…]');
  }
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
  const secret = arg('secret') ?? process.env.ERP_WEBHOOK_SECRET ?? SANDBOX_ERP_SECRET;
  const body = JSON.stringify({ merchantId, updates });
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${arg('url') ?? 'http://localhost:3000'}/webhooks/erp/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kwaizan-timestamp': String(timestamp), 'x-kwaizan-signature': signErpPayload(secret, timestamp, body), 'x-kwaizan-delivery': randomUUID() },
    body,
  });
  console.log(res.status, await res.text());
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
