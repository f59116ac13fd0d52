import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { Db } from '@app/database/db';
import { ChannelAllocationEntity } from '@app/inventory/channel-allocation.entity';
import { InventoryRepository } from '@app/inventory/inventory.repository';
import { StockWriteOpEntity } from '@app/inventory/stock-write-op.entity';
import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { SandboxControlError } from '@app/sandbox/shared/control.errors';
import { OrderPollService } from '@app/orders/order-poll.service';
import { createTestErpCredential, createTestUser, TestUser } from '@test/support/access';
import { ErpKey, sendErpStock } from '@test/support/erp';
import { connectInBrowser, createMerchant, newShops, ownerOf, Stack, startStack } from '@test/support/sandbox-stack';
import { eventually } from '@test/support/test-app';

export interface SkuFixture {
  code: string;
  merchantSkuId: string;
  ks: { itemId: string; skuId: string };
  yz: { itemId: string; skuId: string };
}

/** A merchant with both shops connected through the real flow, and helpers to drive stock. */
export class InventoryHarness {
  merchantId = '';
  connections: { kuaishou: ShopConnectionEntity; youzan: ShopConnectionEntity } = {} as never;
  shops = { kuaishou: '', youzan: '' };
  erpKey: ErpKey = { keyId: '', secret: '' };
  private sequence = 0;

  constructor(readonly stack: Stack) {}

  /** The service's order read lags match the emulators' (0 unless a test sets them). */
  static async start(label: string, options: Parameters<typeof startStack>[0] = { label }): Promise<InventoryHarness> {
    const env = {
      ORDER_READ_LAG_KUAISHOU_MS: String(options.kuaishou?.orderReadLagMs ?? 0),
      ORDER_READ_LAG_YOUZAN_MS: String(options.youzan?.orderReadLagMs ?? 0),
      ...options.env,
    };
    const harness = new InventoryHarness(await startStack({ ...options, env, label }));
    await harness.connect();
    return harness;
  }

  /** The merchant owner's API token (JSON calls need no CSRF token with it). */
  get auth(): Record<string, string> {
    return { authorization: ownerOf(this.merchantId).bearer };
  }

  private opsUser?: TestUser;

  /** An operator's API token (ops routes: failures, metrics, detailed health). */
  async opsAuth(): Promise<Record<string, string>> {
    this.opsUser ??= await createTestUser(this.stack.t.app, 'ops');
    return { authorization: this.opsUser.bearer };
  }

  /** A buyer's paid order on the platform; undefined when the platform refuses it (out of stock, not on sale). */
  async buy(sku: SkuFixture, platform: 'kuaishou' | 'youzan', quantity = 1): Promise<string | undefined> {
    try {
      if (platform === 'kuaishou')
        return (
          await this.stack.ksControl.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity, pay: true })
        ).oid;
      return (
        await this.stack.yzControl.placeOrder({
          kdtId: Number(this.shops.youzan),
          lines: [{ skuId: sku.yz.skuId, quantity }],
          pay: true,
        })
      ).tid;
    } catch (error) {
      if (error instanceof SandboxControlError && (error.status === 409 || error.status === 400)) return undefined;
      throw error;
    }
  }

  get db(): Db {
    return this.stack.t.app.get(Db);
  }

  /** Creates a merchant and connects a new shop of each platform for it (`start` does it once; call again on a second harness over the same stack). */
  async connect(): Promise<void> {
    this.merchantId = await createMerchant(this.stack.url, 'Stock merchant');
    this.erpKey = await createTestErpCredential(this.stack.t.app, this.merchantId);
    this.shops = await newShops(this.stack);
    for (const platform of ['kuaishou', 'youzan'] as const) {
      const result = await connectInBrowser(this.stack.url, this.merchantId, platform, { shop: this.shops[platform] });
      if (result.status !== 200) throw new Error(`connecting ${platform} failed: ${result.html}`);
    }
    const rows = await this.db.dataSource.manager.findBy(ShopConnectionEntity, { merchantId: this.merchantId });
    this.connections = {
      kuaishou: rows.find((r) => r.platform === 'kuaishou')!,
      youzan: rows.find((r) => r.platform === 'youzan')!,
    };
    // The poll backstop's first run (jobs are off in tests): from then on each shop's order feed is known complete.
    await this.poll();
  }

  async poll(): Promise<void> {
    const poller = this.stack.t.app.get(OrderPollService);
    for (const c of Object.values(this.connections)) await poller.poll(c.id);
  }

  /** The same SKU code listed on both platforms (with whatever stock the merchant typed there), bound, and reported by the ERP. */
  async sku(
    code: string,
    options: { onHand: number; ksStock?: number; yzStock?: number; mode?: 'auto' | 'split' | 'pool' },
  ): Promise<SkuFixture> {
    const ksItem = await this.stack.ksControl.createItem({
      openId: this.shops.kuaishou,
      title: `商品 ${code}`,
      skus: [{ stock: options.ksStock ?? 0, price: 9900, skuNick: code }],
    });
    const yzItem = await this.stack.yzControl.createItem({
      kdtId: Number(this.shops.youzan),
      title: `商品 ${code}`,
      skus: [{ itemNo: code, priceFen: 9900, stock: options.yzStock ?? 0 }],
    });
    for (const c of Object.values(this.connections)) {
      const res = await fetch(`${this.stack.url}/api/merchants/${this.merchantId}/connections/${c.id}/discover-skus`, {
        method: 'POST',
        headers: this.auth,
      });
      if (res.status !== 200) throw new Error(`discover failed: ${await res.text()}`);
    }
    const merchantSku = (await this.stack.t.app.get(MerchantSkuService).findByCode(this.merchantId, code))!;
    if (options.mode) {
      await fetch(`${this.stack.url}/api/merchants/${this.merchantId}/skus/${code}/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...this.auth },
        body: JSON.stringify({ allocationMode: options.mode }),
      });
    }
    await this.erp(code, options.onHand);
    const fixture = {
      code,
      merchantSkuId: merchantSku.id,
      ks: { itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId },
      yz: { itemId: yzItem.itemId, skuId: yzItem.skus[0].skuId },
    };
    await this.quiet();
    return fixture;
  }

  async erp(code: string, onHand: number, report: { shippedThrough?: number } = {}): Promise<void> {
    const answer = await sendErpStock(this.stack.url, this.erpKey, [
      { skuCode: code, onHand, sequence: ++this.sequence + 1000, ...report },
    ]);
    if (answer.status !== 200) throw new Error(`ERP update failed: ${JSON.stringify(answer.body)}`);
  }

  async platformStock(sku: SkuFixture): Promise<{ kuaishou: number; youzan: number }> {
    const [ks, yz] = await Promise.all([
      this.stack.ksControl.getSku(sku.ks.itemId, sku.ks.skuId),
      this.stack.yzControl.getSku(sku.yz.itemId, sku.yz.skuId),
    ]);
    return { kuaishou: ks.stock, youzan: yz.stock };
  }

  async allocations(sku: SkuFixture): Promise<Record<'kuaishou' | 'youzan', ChannelAllocationEntity>> {
    const rows = await this.db.dataSource.manager.findBy(ChannelAllocationEntity, { merchantSkuId: sku.merchantSkuId });
    return {
      kuaishou: rows.find((r) => r.platform === 'kuaishou')!,
      youzan: rows.find((r) => r.platform === 'youzan')!,
    };
  }

  async ledger(sku: SkuFixture): Promise<{ onHand: number; reserved: number }> {
    const repo = this.stack.t.app.get(InventoryRepository);
    return {
      onHand: (await repo.findLedger(sku.merchantSkuId))!.onHand,
      reserved: await repo.openReserved(sku.merchantSkuId),
    };
  }

  ops(sku: SkuFixture): Promise<StockWriteOpEntity[]> {
    return this.db.dataSource.manager.find(StockWriteOpEntity, {
      where: { merchantSkuId: sku.merchantSkuId },
      order: { createdAt: 'ASC' },
    });
  }

  /** Waits until every event is handled and no stock write is in flight. */
  async quiet(timeoutMs = 30_000): Promise<void> {
    const relay = this.stack.t.app.get(OutboxRelay);
    await eventually(
      async () => {
        await relay.drain(timeoutMs);
        const unsettled = await this.db.dataSource.query(
          "SELECT COUNT(*) AS n FROM stock_write_op WHERE status IN ('pending', 'unknown')",
        );
        const pending = await this.db.dataSource.query(
          "SELECT COUNT(*) AS n FROM outbox_event WHERE status = 'pending'",
        );
        return Number(unsettled[0].n) === 0 && Number(pending[0].n) === 0;
      },
      timeoutMs,
      50,
    );
    // Pushes still in flight from the emulators land within a moment; drain once more after them.
    await new Promise((r) => setTimeout(r, 150));
    await relay.drain(timeoutMs);
  }

  async close(): Promise<void> {
    await this.stack.close();
  }
}
