import { Type } from '@nestjs/common';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator, KuaishouEmulatorOptions } from '@app/sandbox/kuaishou/kuaishou.emulator';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { YouzanEmulator, YouzanEmulatorOptions } from '@app/sandbox/youzan/youzan.emulator';
import { connectInBrowser as connectAsBrowser, ConnectResult } from '@app/sandbox/sandbox-connect';
import { createTestMerchant, TestUser } from './access';
import { freePort } from './free-port';
import { appAt, startTestApp, TestApp } from './test-app';
import { TestDatabase } from './test-database';

export { parseAuthorizeForm } from '@app/sandbox/sandbox-connect';

const owners = new Map<string, TestUser>();

/** A merchant and its signed-in owner, created in the app listening at `appUrl`. */
export async function createMerchant(appUrl: string, name = 'Test merchant'): Promise<string> {
  const { merchantId, owner } = await createTestMerchant(appAt(appUrl), name);
  owners.set(merchantId, owner);
  return merchantId;
}

/** The owner made by `createMerchant`. */
export function ownerOf(merchantId: string): TestUser {
  const owner = owners.get(merchantId);
  if (!owner) throw new Error(`merchant ${merchantId} was not made by createMerchant`);
  return owner;
}

/** The browser flow as the merchant's signed-in owner (unless `cookie` says otherwise). */
export function connectInBrowser(
  appUrl: string,
  merchantId: string,
  platform: 'kuaishou' | 'youzan',
  options: Parameters<typeof connectAsBrowser>[3] = {},
): Promise<ConnectResult> {
  return connectAsBrowser(appUrl, merchantId, platform, { cookie: owners.get(merchantId)?.cookie, ...options });
}

/** Both emulators on free ports and the real app listening, with pushes wired to it. */
export interface Stack {
  t: TestApp;
  url: string;
  ks: KuaishouEmulator;
  yz: YouzanEmulator;
  ksControl: KuaishouSandboxControl;
  yzControl: YouzanSandboxControl;
  close(): Promise<void>;
}

export async function startStack(options: {
  label: string;
  env?: Record<string, string | undefined>;
  kuaishou?: Partial<KuaishouEmulatorOptions>;
  youzan?: Partial<YouzanEmulatorOptions>;
  extraModules?: Type[];
  database?: TestDatabase;
}): Promise<Stack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ks = await KuaishouEmulator.start({
    ...SANDBOX_CREDENTIALS.kuaishou,
    seedShops: 0,
    pushUrl: `${url}/webhooks/kuaishou`,
    pushRetryDelaysMs: [300, 1000, 3000],
    ...options.kuaishou,
  });
  const yz = await YouzanEmulator.start({
    ...SANDBOX_CREDENTIALS.youzan,
    pushUrl: `${url}/webhooks/youzan`,
    pushRetryDelaysMs: [300, 1000, 3000],
    ...options.youzan,
  });
  let t: TestApp;
  try {
    t = await startTestApp({
      label: options.label,
      listen: true,
      database: options.database,
      extraModules: options.extraModules,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: url,
        KUAISHOU_API_BASE_URL: ks.url,
        KUAISHOU_AUTHORIZE_URL: `${ks.url}/oauth/authorize`,
        YOUZAN_API_BASE_URL: yz.url,
        YOUZAN_AUTHORIZE_URL: `${yz.url}/oauth/authorize`,
        ...options.env,
      },
    });
  } catch (error) {
    await Promise.all([ks.stop(), yz.stop()]);
    throw error;
  }
  return {
    t,
    url,
    ks,
    yz,
    ksControl: new KuaishouSandboxControl(ks.url),
    yzControl: new YouzanSandboxControl(yz.url),
    close: async () => {
      await t.close();
      await Promise.all([ks.stop(), yz.stop()]);
    },
  };
}

/** A fresh shop on each emulator, so every test owns its shops. */
export async function newShops(stack: Stack): Promise<{ kuaishou: string; youzan: string }> {
  const ks = await stack.ksControl.createShop({ name: `快手店 ${Math.random().toString(36).slice(2, 7)}` });
  const yz = await stack.yzControl.createShop({
    name: `有赞店 ${Math.random().toString(36).slice(2, 7)}`,
    authorize: true,
  });
  return { kuaishou: ks.openId, youzan: String(yz.kdtId) };
}
