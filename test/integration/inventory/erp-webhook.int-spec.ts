import { randomUUID } from 'node:crypto';
import { MerchantSkuRepository } from '../../../src/catalog/merchant-sku.repository';
import { InventoryRepository } from '../../../src/inventory/inventory.repository';
import { sendErpStock } from '../../support/erp';
import { createMerchant } from '../../support/sandbox-stack';
import { startTestApp, TestApp } from '../../support/test-app';
import { freePort } from '../../support/free-port';

describe('ERP stock webhook', () => {
  let t: TestApp;
  let merchantId: string;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({ label: 'erp', listen: true, env: { PORT: String(port) } });
    merchantId = await createMerchant(t.url);
  });

  afterAll(async () => {
    await t?.close();
  });

  const onHand = async (skuCode: string) => {
    const sku = await t.app.get(MerchantSkuRepository).findByCode(merchantId, skuCode);
    return (await t.app.get(InventoryRepository).findLedger(sku!.id))?.onHand;
  };

  it('applies absolute on-hand and ignores an update with a stale sequence', async () => {
    expect(await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-1', onHand: 40, sequence: 5 }])).toEqual({ status: 200, body: expect.objectContaining({ duplicate: false, results: [{ skuCode: 'ERP-1', outcome: 'applied' }] }) });
    const stale = await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-1', onHand: 99, sequence: 3 }]);
    expect(stale.body.results).toEqual([{ skuCode: 'ERP-1', outcome: 'stale' }]);
    expect(await onHand('ERP-1')).toBe(40);
    expect((await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-1', onHand: 38, sequence: 6 }])).body.results).toEqual([{ skuCode: 'ERP-1', outcome: 'applied' }]);
    expect(await onHand('ERP-1')).toBe(38);
  });

  it('gives a repeated delivery id no second effect', async () => {
    const deliveryId = randomUUID();
    await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-2', onHand: 10, sequence: 1 }], { deliveryId });
    const again = await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-2', onHand: 77, sequence: 2 }], { deliveryId });
    expect(again).toEqual({ status: 200, body: expect.objectContaining({ duplicate: true, results: [] }) });
    expect(await onHand('ERP-2')).toBe(10);
  });

  it('rejects a wrong signature or an old timestamp with 401 and changes nothing', async () => {
    const forged = await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-3', onHand: 5, sequence: 1 }], { secret: 'not-the-shared-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body.message).toContain('signature mismatch');
    const old = await sendErpStock(t.url, merchantId, [{ skuCode: 'ERP-3', onHand: 5, sequence: 1 }], { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(old.status).toBe(401);
    expect(old.body.message).toContain('outside tolerance');
    expect(await t.app.get(MerchantSkuRepository).findByCode(merchantId, 'ERP-3')).toBeNull();
  });

  it('answers a malformed body with 400 and field messages, and writes nothing', async () => {
    const bad = await sendErpStock(t.url, merchantId, [], { rawBody: JSON.stringify({ merchantId, updates: [{ skuCode: 'bad code!', onHand: -1, sequence: 0 }] }) });
    expect(bad.status).toBe(400);
    const fields = (bad.body.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['updates.0.onHand', 'updates.0.sequence', 'updates.0.skuCode']);
  });

  it('applies all updates of a delivery or none of them', async () => {
    const unknownMerchant = await sendErpStock(t.url, randomUUID(), [{ skuCode: 'ERP-4', onHand: 1, sequence: 1 }]);
    expect(unknownMerchant.status).toBe(404);
    expect(await t.app.get(MerchantSkuRepository).findByCode(merchantId, 'ERP-4')).toBeNull();
  });
});
