import { randomUUID } from 'node:crypto';
import { ErpCredentialsService } from '@app/auth/erp-credentials.service';
import { ErpCredentialEntity } from '@app/auth/erp-credential.entity';
import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { Db } from '@app/database/db';
import { InventoryRepository } from '@app/inventory/inventory.repository';
import { asSession, createTestErpCredential } from '@test/support/access';
import { ErpKey, sendErpStock } from '@test/support/erp';
import { createMerchant, ownerOf } from '@test/support/sandbox-stack';
import { startTestApp, TestApp } from '@test/support/test-app';
import { freePort } from '@test/support/free-port';

describe('ERP stock webhook', () => {
  let t: TestApp;
  let merchantId: string;
  let key: ErpKey;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({ label: 'erp', listen: true, env: { PORT: String(port) } });
    merchantId = await createMerchant(t.url);
    key = await createTestErpCredential(t.app, merchantId);
  });

  afterAll(async () => {
    await t?.close();
  });

  const onHand = async (skuCode: string, merchant = merchantId) => {
    const sku = await t.app.get(MerchantSkuService).findByCode(merchant, skuCode);
    return sku ? (await t.app.get(InventoryRepository).findLedger(sku.id))?.onHand : undefined;
  };

  it('applies absolute on-hand and ignores an update with a stale sequence', async () => {
    expect(await sendErpStock(t.url, key, [{ skuCode: 'ERP-1', onHand: 40, sequence: 5 }])).toEqual({
      status: 200,
      body: expect.objectContaining({ duplicate: false, results: [{ skuCode: 'ERP-1', outcome: 'applied' }] }),
    });
    const stale = await sendErpStock(t.url, key, [{ skuCode: 'ERP-1', onHand: 99, sequence: 3 }]);
    expect(stale.body.results).toEqual([{ skuCode: 'ERP-1', outcome: 'stale' }]);
    expect(await onHand('ERP-1')).toBe(40);
    expect((await sendErpStock(t.url, key, [{ skuCode: 'ERP-1', onHand: 38, sequence: 6 }])).body.results).toEqual([
      { skuCode: 'ERP-1', outcome: 'applied' },
    ]);
    expect(await onHand('ERP-1')).toBe(38);
  });

  it('gives a repeated delivery id no second effect', async () => {
    const deliveryId = randomUUID();
    await sendErpStock(t.url, key, [{ skuCode: 'ERP-2', onHand: 10, sequence: 1 }], { deliveryId });
    const again = await sendErpStock(t.url, key, [{ skuCode: 'ERP-2', onHand: 77, sequence: 2 }], { deliveryId });
    expect(again).toEqual({ status: 200, body: expect.objectContaining({ duplicate: true, results: [] }) });
    expect(await onHand('ERP-2')).toBe(10);
  });

  it('rejects a wrong signature, an old timestamp, a re-labelled delivery id or an unknown key with 401 and changes nothing', async () => {
    const forged = await sendErpStock(t.url, key, [{ skuCode: 'ERP-3', onHand: 5, sequence: 1 }], {
      secret: 'not-the-credential-secret',
    });
    expect(forged.status).toBe(401);
    expect(forged.body.message).toContain('signature mismatch');
    const old = await sendErpStock(t.url, key, [{ skuCode: 'ERP-3', onHand: 5, sequence: 1 }], {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(old.status).toBe(401);
    expect(old.body.message).toContain('outside tolerance');
    // A captured delivery replayed under a fresh id: the id is inside the signature.
    const relabelled = await sendErpStock(t.url, key, [{ skuCode: 'ERP-3', onHand: 5, sequence: 1 }], {
      deliveryId: 'fresh-id',
      signedDeliveryId: 'captured-id',
    });
    expect(relabelled.status).toBe(401);
    const unknown = await sendErpStock(t.url, { keyId: 'erp_nosuchkey', secret: key.secret }, [
      { skuCode: 'ERP-3', onHand: 5, sequence: 1 },
    ]);
    expect(unknown.status).toBe(401);
    expect(await t.app.get(MerchantSkuService).findByCode(merchantId, 'ERP-3')).toBeNull();
  });

  it('checks the signature before the body: an unsigned malformed body learns nothing about the schema', async () => {
    const unsigned = await sendErpStock(t.url, key, [], {
      secret: 'wrong-secret',
      rawBody: JSON.stringify({ updates: [{ skuCode: 'bad code!' }] }),
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.fields).toBeUndefined();
  });

  it('answers a malformed signed body with 400 and field messages, and writes nothing', async () => {
    const bad = await sendErpStock(t.url, key, [], {
      rawBody: JSON.stringify({ updates: [{ skuCode: 'bad code!', onHand: -1, sequence: 0 }] }),
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['updates.0.onHand', 'updates.0.sequence', 'updates.0.skuCode']);
  });

  it("never takes the merchant from the body: merchant A's credential cannot change merchant B's stock", async () => {
    const other = await createMerchant(t.url, 'Merchant B');
    const otherKey = await createTestErpCredential(t.app, other);
    expect((await sendErpStock(t.url, otherKey, [{ skuCode: 'SHARED-1', onHand: 7, sequence: 1 }])).status).toBe(200);
    const naming = await sendErpStock(t.url, key, [], {
      rawBody: JSON.stringify({ merchantId: other, updates: [{ skuCode: 'SHARED-1', onHand: 999, sequence: 2 }] }),
    });
    expect(naming.status).toBe(400);
    expect(await sendErpStock(t.url, key, [{ skuCode: 'SHARED-1', onHand: 3, sequence: 5 }])).toMatchObject({
      status: 200,
    });
    expect(await onHand('SHARED-1', other)).toBe(7);
    expect(await onHand('SHARED-1', merchantId)).toBe(3);
  });

  it('keeps a rotated credential working during its overlap, refuses it after, and refuses a revoked one', async () => {
    const owner = ownerOf(merchantId);
    const old = await createTestErpCredential(t.app, merchantId);
    const rotated = await fetch(`${t.url}/api/merchants/${merchantId}/erp-credentials/${old.keyId}/rotate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asSession(owner) },
      body: JSON.stringify({ overlapHours: 1 }),
    });
    expect(rotated.status).toBe(201);
    const fresh = (await rotated.json()) as ErpKey;
    expect(fresh.secret).toBeTruthy();
    expect((await sendErpStock(t.url, old, [{ skuCode: 'ROT-1', onHand: 1, sequence: 1 }])).status).toBe(200);
    expect((await sendErpStock(t.url, fresh, [{ skuCode: 'ROT-1', onHand: 2, sequence: 2 }])).status).toBe(200);

    // The overlap ends (moved into the past rather than waited for).
    await t.app
      .get(Db)
      .dataSource.manager.update(ErpCredentialEntity, { keyId: old.keyId }, { expiresAt: Date.now() - 1 });
    expect((await sendErpStock(t.url, old, [{ skuCode: 'ROT-1', onHand: 3, sequence: 3 }])).status).toBe(401);
    expect(await onHand('ROT-1')).toBe(2);

    const revoked = await fetch(`${t.url}/api/merchants/${merchantId}/erp-credentials/${fresh.keyId}`, {
      method: 'DELETE',
      headers: asSession(owner),
    });
    expect(revoked.status).toBe(204);
    expect((await sendErpStock(t.url, fresh, [{ skuCode: 'ROT-1', onHand: 4, sequence: 4 }])).status).toBe(401);
    expect(await onHand('ROT-1')).toBe(2);
  });

  it('stores the secret sealed, never in the clear, and lists credentials without it', async () => {
    const issued = await t.app.get(ErpCredentialsService).create(merchantId, 'sealed check');
    const row = await t.app
      .get(Db)
      .dataSource.manager.findOneByOrFail(ErpCredentialEntity, { keyId: issued.credential.keyId });
    expect(row.secretEnc).not.toContain(issued.secret);
    const list = await fetch(`${t.url}/api/merchants/${merchantId}/erp-credentials`, {
      headers: { authorization: ownerOf(merchantId).bearer },
    });
    expect(JSON.stringify(await list.json())).not.toContain(issued.secret);
  });
});
