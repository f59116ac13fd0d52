import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '../auth/erp-signature';
import { serviceUrl } from '../config/service-url';

/** What the ERP command-line senders (`erp:stock`, `erp:ship`) share: arguments, credentials, a signed POST. */

/** The value of `--name=value` on the command line, or undefined. */
export function cliArg(name: string): string | undefined {
  return process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')
    .slice(1)
    .join('=');
}

/** The `KEY=NUMBER` pairs on the command line (every argument not starting with `--`). */
export function cliPairs(): { key: string; value: number }[] {
  return process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map((pair) => {
      const [key, value] = pair.split('=');
      return { key, value: Number(value) };
    });
}

/** `--key` / `--secret`, defaulting to ERP_KEY_ID and ERP_SECRET. */
export function erpCredentials(): { keyId?: string; secret?: string } {
  return {
    // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
    keyId: cliArg('key') ?? process.env.ERP_KEY_ID,
    // eslint-disable-next-line no-restricted-properties -- a CLI outside the service, not its configuration
    secret: cliArg('secret') ?? process.env.ERP_SECRET,
  };
}

/** Posts `payload` to the service (`--url`, else PUBLIC_BASE_URL or localhost:$PORT) signed as an ERP does, and prints the answer. */
export async function postSignedErp(path: string, keyId: string, secret: string, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = randomUUID();
  const res = await fetch(`${serviceUrl(cliArg('url'))}${path}`, {
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

/** Runs a CLI's main, printing only the message of an error and exiting 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
