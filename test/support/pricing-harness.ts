import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';
import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { PriceWriteOpEntity } from '@app/pricing/price-write-op.entity';
import type { PriceChange } from '@app/sandbox/shared/price-log';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from '../integration/inventory/inventory.harness';

type Platform = 'kuaishou' | 'youzan';

/**
 * The pricing int-specs' shared setup: a merchant with both shops connected (the inventory
 * harness), its JSON API, and prices, price histories and calls read from the emulators.
 */
export class PricingHarness {
  private constructor(readonly inventory: InventoryHarness) {}

  static async start(label: string, options?: Parameters<typeof InventoryHarness.start>[1]): Promise<PricingHarness> {
    return new PricingHarness(await InventoryHarness.start(label, options ?? { label }));
  }

  get stack() {
    return this.inventory.stack;
  }

  get db() {
    return this.inventory.db;
  }

  get merchantId() {
    return this.inventory.merchantId;
  }

  get auth() {
    return this.inventory.auth;
  }

  get connections() {
    return this.inventory.connections;
  }

  get shops() {
    return this.inventory.shops;
  }

  get erpKey() {
    return this.inventory.erpKey;
  }

  /** The same SKU code listed on both platforms at ¥99.00, bound, and reported by the ERP. */
  sku(code: string, options: Parameters<InventoryHarness['sku']>[1]): Promise<SkuFixture> {
    return this.inventory.sku(code, options);
  }

  /** A JSON call under `/api/merchants/:merchantId` as the merchant's owner. */
  api(path: string, method = 'GET', body?: unknown): Promise<Response> {
    return fetch(`${this.stack.url}/api/merchants/${this.merchantId}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...this.auth },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** Every event handled and every journaled price write settled. */
  async quiet(): Promise<void> {
    const relay = this.stack.t.app.get(OutboxRelay);
    await eventually(
      async () => {
        await relay.drain(30_000);
        const pending = await this.db.dataSource.query(
          "SELECT COUNT(*) AS n FROM price_write_op WHERE status = 'pending'",
        );
        const outbox = await this.db.dataSource.query(
          "SELECT COUNT(*) AS n FROM outbox_event WHERE status = 'pending'",
        );
        return Number(pending[0].n) === 0 && Number(outbox[0].n) === 0;
      },
      60_000,
      50,
    );
  }

  /** The parity audit of both shops, on request, run to the end. */
  async audit(): Promise<void> {
    const res = await this.api('/price-audit', 'POST');
    if (res.status !== 202) throw new Error(`price audit answered ${res.status}: ${await res.text()}`);
    await this.quiet();
  }

  /** What each platform shows now (fen), from the emulators. */
  async livePrices(sku: SkuFixture): Promise<Record<Platform, number>> {
    const [ks, yz] = await Promise.all([
      this.stack.ksControl.getSku(sku.ks.itemId, sku.ks.skuId),
      this.stack.yzControl.getSku(sku.yz.itemId, sku.yz.skuId),
    ]);
    return { kuaishou: ks.price, youzan: yz.priceFen };
  }

  /** Both emulators' price histories of the SKU, merged in the order they were applied. */
  async history(sku: SkuFixture): Promise<(PriceChange & { platform: Platform })[]> {
    const [ks, yz] = await Promise.all([
      this.stack.ksControl.priceHistory({ itemId: sku.ks.itemId, skuId: sku.ks.skuId }),
      this.stack.yzControl.priceHistory({ itemId: sku.yz.itemId, skuId: sku.yz.skuId }),
    ]);
    return [
      ...ks.map((c) => ({ ...c, platform: 'kuaishou' as const })),
      ...yz.map((c) => ({ ...c, platform: 'youzan' as const })),
    ].sort((a, b) => a.seq - b.seq);
  }

  /** The SKU's journaled price writes, oldest first. */
  ops(sku: SkuFixture): Promise<PriceWriteOpEntity[]> {
    return this.db.dataSource.manager.find(PriceWriteOpEntity, {
      where: { merchantSkuId: sku.merchantSkuId },
      order: { createdAt: 'ASC' },
    });
  }

  async bindingOf(sku: SkuFixture, platform: Platform): Promise<string> {
    const rows: { id: string }[] = await this.db.dataSource.query(
      'SELECT id FROM sku_binding WHERE merchant_sku_id = ? AND platform = ?',
      [sku.merchantSkuId, platform],
    );
    return rows[0].id;
  }

  /** A signed ERP price delivery. */
  async sendErpPrices(
    updates: { skuCode: string; priceFen: number; sequence: number }[],
    deliveryId: string = randomUUID(),
  ): Promise<{
    status: number;
    body: { deliveryId: string; duplicate: boolean; results: { skuCode: string; outcome: string }[] };
  }> {
    const body = JSON.stringify({ updates });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`${this.stack.url}/webhooks/erp/prices`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [ERP_HEADERS.keyId]: this.erpKey.keyId,
        [ERP_HEADERS.timestamp]: String(timestamp),
        [ERP_HEADERS.delivery]: deliveryId,
        [ERP_HEADERS.signature]: signErpPayload(this.erpKey.secret, timestamp, deliveryId, body),
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as never };
  }

  close(): Promise<void> {
    return this.inventory.close();
  }
}
