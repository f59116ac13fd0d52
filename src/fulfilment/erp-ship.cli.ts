import { cliArg, cliPairs, erpCredentials, postSignedErp, runCli } from '../webhooks/erp-cli';

/**
 * Sends a signed ERP shipment, as an ERP system would (handy for the sandbox and for ERP vendors
 * checking their signing):
 *   npm run erp:ship -- --key=<key id> --secret=<secret> --order=<any order id> --carrier=SF --waybill=SF1234567890 [LINE=QTY …] [--url=http://localhost:3000]
 * LINE=QTY pairs ship part of the order (Kuaishou: units of its one line; Youzan: whole lines);
 * none ships the whole order. --key and --secret default to ERP_KEY_ID and ERP_SECRET.
 */
runCli(async () => {
  const lines = cliPairs().map(({ key, value }) => ({ lineId: key, quantity: value }));
  const { keyId, secret } = erpCredentials();
  const [orderId, carrier, trackingNo] = [cliArg('order'), cliArg('carrier'), cliArg('waybill')];
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
  await postSignedErp('/webhooks/erp/shipments', keyId, secret, {
    orderId,
    carrier,
    trackingNo,
    ...(lines.length ? { lines } : {}),
  });
});
