import 'reflect-metadata';
import { SANDBOX_CREDENTIALS } from '../src/config/app-config';
import { SeededRandom } from '../src/sandbox/shared/random';
import { SandboxControlError as KsControlError, KuaishouSandboxControl } from '../src/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator } from '../src/sandbox/kuaishou/kuaishou.emulator';
import { SandboxControlError as YzControlError, YouzanSandboxControl } from '../src/sandbox/youzan/youzan-sandbox.control';
import { YouzanEmulator } from '../src/sandbox/youzan/youzan.emulator';

/**
 * "The platforms" of a benchmark, in a process of their own (their own core), as in production:
 * both emulators and the buyers that hammer them. Driven over IPC by the benchmark process.
 */
export interface StormSku {
  code: string;
  stock: number;
  ks: { itemId: string; skuId: string };
  yz: { itemId: string; skuId: string };
}

export type WorkerRequest =
  | { kind: 'start'; pushBaseUrl: string; seed: number }
  | { kind: 'storm'; skus: StormSku[]; youzanShop: number; buyers: number; durationS: number; retryMinMs: number; retryMaxMs: number; seed: number };

export type WorkerAnswer =
  | { kind: 'ready'; kuaishouUrl: string; youzanUrl: string }
  | { kind: 'storm-done'; sold: Record<string, number>; demand: Record<string, number>; demandBy: Record<string, number>; attempts: number; stormMs: number }
  | { kind: 'error'; message: string };


let emulators: { ks: KuaishouEmulator; yz: YouzanEmulator } | undefined;

async function storm(request: Extract<WorkerRequest, { kind: 'storm' }>): Promise<WorkerAnswer> {
  const dice = new SeededRandom(request.seed);
  const random = () => dice.next();
  const ks = new KuaishouSandboxControl(emulators!.ks.url);
  const yz = new YouzanSandboxControl(emulators!.yz.url);
  const sold: Record<string, number> = Object.fromEntries(request.skus.map((s) => [s.code, 0]));
  const demand: Record<string, number> = Object.fromEntries(request.skus.map((s) => [s.code, 0]));
  const started = Date.now();
  const deadline = started + request.durationS * 1000;
  let attempts = 0;
  const demandBy: Record<string, number> = {};
  const buyer = async (index: number) => {
    const sku = request.skus[Math.floor(random() * request.skus.length)];
    // A live-stream viewer buys where they watch.
    const platform = index % 2 === 0 ? 'kuaishou' : 'youzan';
    demand[sku.code]++;
    demandBy[`${sku.code}:${platform}`] = (demandBy[`${sku.code}:${platform}`] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, random() * 1500));
    // Keeps trying (refreshing the item page) until it buys or the SKU is gone everywhere.
    while (Date.now() < deadline && sold[sku.code] < sku.stock) {
      attempts++;
      try {
        if (platform === 'kuaishou') await ks.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1, pay: true });
        else await yz.placeOrder({ kdtId: request.youzanShop, lines: [{ skuId: sku.yz.skuId, quantity: 1 }], pay: true });
        sold[sku.code]++;
        return;
      } catch (error) {
        if (!((error instanceof KsControlError || error instanceof YzControlError) && error.status === 409)) throw error;
        await new Promise((r) => setTimeout(r, request.retryMinMs + random() * (request.retryMaxMs - request.retryMinMs)));
      }
    }
  };
  await Promise.all(Array.from({ length: request.buyers }, (_, i) => buyer(i)));
  return { kind: 'storm-done', sold, demand, demandBy, attempts, stormMs: Date.now() - started };
}

process.on('message', (message: WorkerRequest) => {
  const reply = (answer: WorkerAnswer) => process.send!(answer);
  const handle = async (): Promise<WorkerAnswer> => {
    if (message.kind === 'start') {
      const ks = await KuaishouEmulator.start({ ...SANDBOX_CREDENTIALS.kuaishou, seedShops: 0, seed: message.seed, pushUrl: `${message.pushBaseUrl}/webhooks/kuaishou`, pushRetryDelaysMs: [500, 1500, 4000] });
      const yz = await YouzanEmulator.start({ ...SANDBOX_CREDENTIALS.youzan, seed: message.seed + 1, pushUrl: `${message.pushBaseUrl}/webhooks/youzan`, pushRetryDelaysMs: [500, 1500, 4000] });
      emulators = { ks, yz };
      return { kind: 'ready', kuaishouUrl: ks.url, youzanUrl: yz.url };
    }
    return storm(message);
  };
  handle().then(reply, (error: Error) => reply({ kind: 'error', message: error.stack ?? error.message }));
});

process.on('disconnect', () => {
  void Promise.all([emulators?.ks.stop(), emulators?.yz.stop()]).finally(() => process.exit(0));
});
