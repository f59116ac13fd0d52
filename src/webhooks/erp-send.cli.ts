import { cliArg, cliPairs, erpCredentials, postSignedErp, runCli } from './erp-cli';

/**
 * Sends a signed ERP stock delivery, as an ERP system would (handy for the sandbox and for ERP
 * vendors checking their signing):
 *   npm run erp:stock -- --key=<key id> --secret=<secret> DEMO-TEE-RED-M=10 DEMO-TEE-BLUE-L=25 [--url=http://localhost:3000] [--sequence=N]
 * Without --url it posts to PUBLIC_BASE_URL, else http://localhost:$PORT (3000), as `npm start` listens.
 * The key id and secret are one of the merchant's ERP credentials (the merchant owner creates them);
 * --key and --secret default to ERP_KEY_ID and ERP_SECRET.
 */
runCli(async () => {
  const sequence = Number(cliArg('sequence') ?? Date.now());
  const updates = cliPairs().map(({ key, value }) => ({ skuCode: key, onHand: value, sequence }));
  const { keyId, secret } = erpCredentials();
  if (!keyId || !secret || !updates.length || updates.some((u) => !u.skuCode || !Number.isInteger(u.onHand))) {
    throw new Error(
      'usage: npm run erp:stock -- --key=<key id> --secret=<secret> SKU=onHand [SKU=onHand …] [--url=…] [--sequence=N]',
    );
  }
  await postSignedErp('/webhooks/erp/stock', keyId, secret, { updates });
});
