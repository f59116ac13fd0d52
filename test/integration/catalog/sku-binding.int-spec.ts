import { ConnectionNotFoundException } from '@app/accounts/accounts.errors';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { connectInBrowser, createMerchant, ownerOf } from '@test/support/sandbox-stack';
import { createTestMerchant } from '@test/support/access';
import { InventoryHarness } from '../inventory/inventory.harness';

describe('SKU bindings', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('bindings');
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, init?: RequestInit) =>
    fetch(`${h.stack.url}/api/merchants/${h.merchantId}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...h.auth },
    });

  it('binds a listing without an outer code by hand, and its stock then follows the ledger', async () => {
    // A listing the merchant made without filling in the SKU code.
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '无编码商品',
      skus: [{ itemNo: '', priceFen: 1000, stock: 3 }],
    });
    const discovered = (await (
      await api(`/connections/${h.connections.youzan.id}/discover-skus`, { method: 'POST' })
    ).json()) as { unmatched: string[] };
    expect(discovered.unmatched).toContain(`${item.itemId}/${item.skus[0].skuId}`);

    const bound = await api('/sku-bindings', {
      method: 'POST',
      body: JSON.stringify({
        skuCode: 'HAND-1',
        connectionId: h.connections.youzan.id,
        platformItemId: item.itemId,
        platformSkuId: item.skus[0].skuId,
      }),
    });
    expect(bound.status).toBe(201);
    expect(await bound.json()).toMatchObject({
      platform: 'youzan',
      boundBy: 'manual',
      platformSkuId: item.skus[0].skuId,
    });

    await h.erp('HAND-1', 9);
    await h.quiet();
    expect((await h.stack.yzControl.getSku(item.itemId, item.skus[0].skuId)).stock).toBe(9);
  });

  it('refuses to bind a platform SKU that is already bound to another merchant SKU', async () => {
    const item = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '已绑定',
      skus: [{ stock: 0, price: 1000, skuNick: 'AUTO-1' }],
    });
    await api(`/connections/${h.connections.kuaishou.id}/discover-skus`, { method: 'POST' });
    const res = await api('/sku-bindings', {
      method: 'POST',
      body: JSON.stringify({
        skuCode: 'OTHER-1',
        connectionId: h.connections.kuaishou.id,
        platformItemId: item.itemId,
        platformSkuId: item.skus[0].skuId,
      }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('SKU_ALREADY_BOUND');
  });

  it('the service itself refuses to bind or discover on another merchant’s shop, binding nothing', async () => {
    const other = await createTestMerchant(h.stack.t.app, 'Other merchant');
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '别家商品',
      skus: [{ itemNo: 'FOREIGN-1', priceFen: 1000, stock: 1 }],
    });
    const bindings = h.stack.t.app.get(SkuBindingService);
    const sku = { platformItemId: item.itemId, platformSkuId: item.skus[0].skuId };
    const foreign = bindings.bindManually(other.merchantId, h.connections.youzan.id, 'FOREIGN-1', sku);
    await expect(foreign).rejects.toBeInstanceOf(ConnectionNotFoundException);
    await expect(bindings.discover(other.merchantId, h.connections.youzan.id)).rejects.toBeInstanceOf(
      ConnectionNotFoundException,
    );
    expect(await bindings.listByMerchant(other.merchantId)).toEqual([]);
    const mine = await bindings.listByMerchant(h.merchantId);
    expect(mine.find((b) => b.platformSkuId === item.skus[0].skuId)).toBeUndefined();
  });

  it('validates a manual binding field by field', async () => {
    const res = await api('/sku-bindings', {
      method: 'POST',
      body: JSON.stringify({ skuCode: 'bad code', connectionId: 'x', platformItemId: 'abc' }),
    });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
    expect(fields).toEqual(['connectionId', 'platformItemId', 'platformSkuId', 'skuCode']);
  });

  it('binds order lines that arrived before their SKU was bound, holding their units', async () => {
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '先卖后绑',
      skus: [{ itemNo: 'LATE-1', priceFen: 1000, stock: 5 }],
    });
    await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [{ skuId: item.skus[0].skuId, quantity: 2 }],
      pay: true,
    });
    await h.quiet();
    await api(`/connections/${h.connections.youzan.id}/discover-skus`, { method: 'POST' });
    await h.erp('LATE-1', 10);
    await h.quiet();
    const sku = (await (await api('/skus/LATE-1')).json()) as { reserved: number; sellable: number };
    expect(sku).toMatchObject({ reserved: 2, sellable: 8 });
  });

  it('binds two Youzan items without variants in one shop, and an order on the second moves only its stock', async () => {
    // Items without specs: Youzan addresses each one's implicit SKU as sku_id 0.
    const first = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '单品甲',
      itemNo: 'PLAIN-A',
      priceFen: 1000,
      stock: 0,
    });
    const second = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '单品乙',
      itemNo: 'PLAIN-B',
      priceFen: 1000,
      stock: 0,
    });
    const discovered = (await (
      await api(`/connections/${h.connections.youzan.id}/discover-skus`, { method: 'POST' })
    ).json()) as { unmatched: string[] };
    expect(discovered.unmatched).not.toContain('PLAIN-A');
    expect(discovered.unmatched).not.toContain('PLAIN-B');
    const bindings = await h.stack.t.app.get(SkuBindingService).listByMerchant(h.merchantId);
    const plain = bindings
      .filter((b) => b.platformItemId === first.itemId || b.platformItemId === second.itemId)
      .map((b) => [b.platformItemId, b.outerSkuId])
      .sort();
    expect(plain).toEqual(
      [
        [first.itemId, 'PLAIN-A'],
        [second.itemId, 'PLAIN-B'],
      ].sort(),
    );

    await h.erp('PLAIN-A', 6);
    await h.erp('PLAIN-B', 6);
    await h.quiet();
    expect((await h.stack.yzControl.getItem(first.itemId)).stock).toBe(6);
    expect((await h.stack.yzControl.getItem(second.itemId)).stock).toBe(6);

    await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [{ itemId: second.itemId, quantity: 2 }],
      pay: true,
    });
    await h.quiet();
    // The second item sold 2; the first keeps its 6 (a mix-up would push 6 - 2 to it).
    expect((await h.stack.yzControl.getItem(second.itemId)).stock).toBe(4);
    expect((await h.stack.yzControl.getItem(first.itemId)).stock).toBe(6);
  });

  it('binds by hand an item without variants while another such item of the shop is bound', async () => {
    await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '已绑单品',
      itemNo: 'PLAIN-AUTO',
      priceFen: 1000,
      stock: 0,
    });
    await api(`/connections/${h.connections.youzan.id}/discover-skus`, { method: 'POST' });
    const uncoded = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '无编码单品',
      priceFen: 1000,
      stock: 0,
    });
    const bound = await api('/sku-bindings', {
      method: 'POST',
      body: JSON.stringify({
        skuCode: 'PLAIN-HAND',
        connectionId: h.connections.youzan.id,
        platformItemId: uncoded.itemId,
        platformSkuId: '0',
      }),
    });
    expect(bound.status).toBe(201);
    expect(await bound.json()).toMatchObject({ platformItemId: uncoded.itemId, platformSkuId: '0' });
    await h.erp('PLAIN-HAND', 7);
    await h.quiet();
    expect((await h.stack.yzControl.getItem(uncoded.itemId)).stock).toBe(7);
  });

  it('holds the units of an order that came before binding on its own item, not another without variants', async () => {
    const sold = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '先卖单品',
      itemNo: 'PLAIN-LATE-A',
      priceFen: 1000,
      stock: 5,
    });
    const other = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '未卖单品',
      itemNo: 'PLAIN-LATE-B',
      priceFen: 1000,
      stock: 5,
    });
    await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [{ itemId: sold.itemId, quantity: 2 }],
      pay: true,
    });
    await h.quiet();
    await api(`/connections/${h.connections.youzan.id}/discover-skus`, { method: 'POST' });
    await h.erp('PLAIN-LATE-A', 10);
    await h.erp('PLAIN-LATE-B', 10);
    await h.quiet();
    // The sold item shows 10 less the 2 held for its order; the other shows all 10.
    expect((await h.stack.yzControl.getItem(sold.itemId)).stock).toBe(8);
    expect((await h.stack.yzControl.getItem(other.itemId)).stock).toBe(10);
  });

  it('takes a shop out of service when discovering its listings finds the authorization withdrawn', async () => {
    const merchantId = await createMerchant(h.stack.url, 'Revoked before discovery');
    const shop = await h.stack.ksControl.createShop({ name: '快手撤销店' });
    expect((await connectInBrowser(h.stack.url, merchantId, 'kuaishou', { shop: shop.openId })).status).toBe(200);
    const connection = (await h.db.dataSource.manager.findOneBy(ShopConnectionEntity, { merchantId }))!;
    expect(connection.status).toBe('active');
    // The merchant withdraws the app's authorization on Kuaishou.
    expect(await h.stack.ksControl.revokeShop(shop.openId)).toEqual({ revoked: 1 });

    const res = await fetch(`${h.stack.url}/api/merchants/${merchantId}/connections/${connection.id}/discover-skus`, {
      method: 'POST',
      headers: { authorization: ownerOf(merchantId).bearer },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('PLATFORM_AUTH_REVOKED');

    const after = (await h.db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!;
    expect(after.status).toBe('revoked');
  });
});
