import { SANDBOX_CREDENTIALS } from '../config/app-config';
import { KuaishouSandboxControl } from './kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator } from './kuaishou/kuaishou.emulator';
import { YouzanSandboxControl } from './youzan/youzan-sandbox.control';
import { YouzanEmulator } from './youzan/youzan.emulator';

export interface SandboxOptions {
  host: string;
  ports: { kuaishou: number; youzan: number };
  /** Where the emulators push (the service's /webhooks/{platform}); none: pushes are off. */
  pushBaseUrl?: string;
  /** Seed a demo shop with two listings on each platform. */
  demoData?: boolean;
  /** Push retry delays (the platforms use minutes; a demo wants seconds). */
  pushRetryDelaysMs?: number[];
}

export interface RunningSandbox {
  kuaishou: KuaishouEmulator;
  youzan: YouzanEmulator;
  demo?: { kuaishouShop: string; youzanShop: number; skuCodes: string[] };
  stop(): Promise<void>;
}

/** Demo listings carry the same merchant SKU codes on both platforms, so binding is automatic. */
export const DEMO_SKUS = [
  { code: 'DEMO-TEE-RED-M', title: '纯棉T恤 红色 M', priceFen: 5900, stock: 30 },
  { code: 'DEMO-TEE-BLUE-L', title: '纯棉T恤 蓝色 L', priceFen: 5900, stock: 12 },
];

/** Starts both emulators with the demo app credentials (`npm start` in sandbox mode, `npm run sandbox`). */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const retry = options.pushRetryDelaysMs ?? [2_000, 5_000, 15_000, 30_000, 60_000];
  const kuaishou = await KuaishouEmulator.start({
    ...SANDBOX_CREDENTIALS.kuaishou,
    host: options.host,
    port: options.ports.kuaishou,
    pushUrl: options.pushBaseUrl ? `${options.pushBaseUrl}/webhooks/kuaishou` : undefined,
    pushRetryDelaysMs: retry,
    seedShops: 0,
  });
  let youzan: YouzanEmulator;
  try {
    youzan = await YouzanEmulator.start({
      ...SANDBOX_CREDENTIALS.youzan,
      host: options.host,
      port: options.ports.youzan,
      pushUrl: options.pushBaseUrl ? `${options.pushBaseUrl}/webhooks/youzan` : undefined,
      pushRetryDelaysMs: retry,
    });
  } catch (error) {
    await kuaishou.stop();
    throw error;
  }
  const sandbox: RunningSandbox = {
    kuaishou,
    youzan,
    stop: async () => {
      await Promise.all([kuaishou.stop(), youzan.stop()]);
    },
  };
  if (options.demoData) sandbox.demo = await seedDemo(kuaishou.url, youzan.url);
  return sandbox;
}

async function seedDemo(kuaishouUrl: string, youzanUrl: string): Promise<RunningSandbox['demo']> {
  const ks = new KuaishouSandboxControl(kuaishouUrl);
  const yz = new YouzanSandboxControl(youzanUrl);
  const ksShop = await ks.createShop({ name: '快手演示店' });
  const yzShop = await yz.createShop({ name: '有赞演示店', authorize: true });
  await ks.createItem({
    openId: ksShop.openId,
    title: '纯棉T恤',
    skus: DEMO_SKUS.map((s) => ({
      stock: s.stock,
      price: s.priceFen,
      skuNick: s.code,
      specs: [{ name: '款式', value: s.title }],
    })),
  });
  await yz.createItem({
    kdtId: yzShop.kdtId,
    title: '纯棉T恤',
    skus: DEMO_SKUS.map((s) => ({
      itemNo: s.code,
      priceFen: s.priceFen,
      stock: s.stock,
      specs: [{ k: '款式', v: s.title }],
    })),
  });
  return { kuaishouShop: ksShop.openId, youzanShop: yzShop.kdtId, skuCodes: DEMO_SKUS.map((s) => s.code) };
}
