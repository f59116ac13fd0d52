import { ListingPublishJob } from '@app/catalog/jobs/listing-publish.job';
import { ListingPublishService } from '@app/catalog/listings/listing-publish.service';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { relIdFor } from '@app/platforms/kuaishou/kuaishou.mapper';
import { InventoryHarness } from '../inventory/inventory.harness';
import { DAILY, IMAGE, ListingApi, ListingView as Listing } from './listing.harness';

/** A 1×1 PNG: the Youzan adapter uploads data URLs without fetching anything. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** 连衣裙: brand, fabric and skirt length are required (the emulator's synthetic config). */
const DRESS = '1584';
const DRESS_PROPERTIES = [
  { propertyId: '102', valueIds: ['990000001'] },
  { propertyId: '99000001', valueIds: ['990000007'] },
  { propertyId: '99000002', valueIds: ['990000012'] },
];
describe('publishing listings between the platforms', () => {
  let h: InventoryHarness;
  let l: ListingApi;

  beforeAll(async () => {
    h = await InventoryHarness.start('listings', { label: 'listings', kuaishou: { auditMode: 'manual' } });
    l = new ListingApi(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  const pollAudits = async () => {
    await h.stack.t.app.get(ListingPublishJob).enqueueDue();
    await h.quiet();
  };

  it('Youzan → Kuaishou: shows what is missing with fix hints, refuses to publish, then publishes, binds and tracks the audit', async () => {
    const item = await l.youzanItem('DRESS-1', ['DRESS-1-S', 'DRESS-1-M']);
    const base = {
      sourceConnectionId: h.connections.youzan.id,
      sourceItemId: item.itemId,
      targetConnectionId: h.connections.kuaishou.id,
      categoryId: DRESS,
      imageUrls: [IMAGE],
    };
    const first = await l.draft(base);
    expect(first.status).toBe('draft');
    const missing = first.findings.filter((f) => f.code === 'PROPERTY_REQUIRED').map((f) => f.field);
    expect(missing.sort()).toEqual(['properties[102]', 'properties[99000001]', 'properties[99000002]']);
    expect(first.findings.find((f) => f.code === 'PROPERTY_REQUIRED')!.hint.zh).toContain('选择');

    const refused = await l.call(`/listings/${first.id}/publish`, { method: 'POST' });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { fields: { field: string; messages: string[] }[] };
    expect(body.fields.map((f) => f.field)).toContain('properties[102]');
    expect(await l.kuaishouItemsWithRel('DRESS-1')).toHaveLength(0);

    const fixed = await l.draft({ ...base, properties: DRESS_PROPERTIES });
    expect(fixed.id).toBe(first.id);
    expect(fixed.findings.filter((f) => f.severity === 'error')).toEqual([]);
    await l.publishAndWait(fixed.id);

    const published = await l.get(fixed.id);
    expect(published).toMatchObject({ status: 'pending_audit', origin: 'created', auditState: 'pending' });
    const created = await l.kuaishouItemsWithRel('DRESS-1');
    expect(created).toHaveLength(1);
    const ksItem = await h.stack.ksControl.getItem(published.targetItemId!);
    // Stock is never copied (the source has 7 each): the stock pipeline sets it later.
    expect(ksItem.skus.map((s) => s.stock)).toEqual([0, 0]);
    expect(ksItem.skus.map((s) => s.price)).toEqual([19_900, 19_900]);

    const bindings = await h.stack.t.app.get(SkuBindingService).listByMerchant(h.merchantId);
    for (const code of ['DRESS-1-S', 'DRESS-1-M']) {
      const mine = bindings.filter((b) => b.outerSkuId === code);
      expect(mine.map((b) => b.platform).sort()).toEqual(['kuaishou', 'youzan']);
      expect(mine.find((b) => b.platform === 'kuaishou')!.platformItemId).toBe(published.targetItemId);
    }

    await h.stack.ksControl.auditItem(published.targetItemId!, true);
    await pollAudits();
    expect(await l.get(fixed.id)).toMatchObject({ status: 'live', auditState: 'approved' });
  });

  it('takes the Kuaishou category from the Youzan category’s mapping when none is given', async () => {
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '桌面收纳盒',
      desc: '桌面收纳盒，多格分类',
      cid: 6000000,
      itemNo: 'MAP-1',
      skus: [{ itemNo: 'MAP-1-A', priceFen: 1_500, stock: 2 }],
    });
    const listing = await l.draft({
      sourceConnectionId: h.connections.youzan.id,
      sourceItemId: item.itemId,
      targetConnectionId: h.connections.kuaishou.id,
      imageUrls: [IMAGE],
    });
    // 居家 → 生活日用 (the shipped default).
    expect(listing.categoryId).toBe(DAILY);
    await l.publishAndWait(listing.id);
    const published = await l.get(listing.id);
    expect((await h.stack.ksControl.getItem(published.targetItemId!)).categoryId).toBe(Number(DAILY));
  });

  it('an audit rejection becomes a sync failure with the platform reason and the rule it maps to', async () => {
    const item = await l.youzanItem('REJ-1', ['REJ-1-A']);
    const listing = await l.draftForKuaishou(item.itemId);
    await l.publishAndWait(listing.id);
    const published = await l.get(listing.id);
    expect(published.status).toBe('pending_audit');

    await h.stack.ksControl.auditItem(published.targetItemId!, false, '主图含有水印');
    await pollAudits();
    const rejected = await l.get(listing.id);
    expect(rejected).toMatchObject({ status: 'rejected', auditState: 'rejected' });
    const finding = rejected.findings.find((f) => f.field === 'audit')!;
    expect(finding.code).toBe('IMAGE_FORMAT');
    expect(finding.hint.zh).toContain('主图');

    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { entityRef: listing.id });
    expect(failure).toMatchObject({ context: 'catalog', errorCode: 'AUDIT_REJECTED', status: 'open' });
    expect(failure.reason).toContain('主图含有水印');
    expect(failure.reason).toContain('IMAGE_FORMAT');

    // Its item exists: publishing again would create a second one, so it is refused.
    expect((await l.publish(listing.id)).status).toBe(409);
    expect(await l.kuaishouItemsWithRel('REJ-1')).toHaveLength(1);
  });

  it('Kuaishou → Youzan: creates the item with stock 0 and binds both sides', async () => {
    const ks = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '快手原生商品',
      skus: [{ stock: 5, price: 2_990, skuNick: 'KS-NATIVE-1' }],
    });
    const listing = await l.draft({
      sourceConnectionId: h.connections.kuaishou.id,
      sourceItemId: ks.itemId,
      targetConnectionId: h.connections.youzan.id,
      imageUrls: [PNG],
    });
    expect(listing.findings.filter((f) => f.severity === 'error')).toEqual([]);
    await l.publishAndWait(listing.id);

    const published = await l.get(listing.id);
    expect(published).toMatchObject({ status: 'live', origin: 'created' });
    const yz = await h.stack.yzControl.getItem(published.targetItemId!);
    expect(yz.title).toBe('快手原生商品');
    expect(yz.skus.map((s) => [s.itemNo, s.stock, s.priceFen])).toEqual([['KS-NATIVE-1', 0, 2_990]]);
    const bound = (await h.stack.t.app.get(SkuBindingService).listByMerchant(h.merchantId)).filter(
      (b) => b.outerSkuId === 'KS-NATIVE-1',
    );
    expect(bound.map((b) => b.platform).sort()).toEqual(['kuaishou', 'youzan']);
  });

  it('a Youzan shop holding two items with the merchant code: a failure for the merchant to decide, nothing bound or created', async () => {
    // Youzan keeps no item_no unique (youzan.items.custom.get answers a list): the shop made two by hand.
    const kdtId = Number(h.shops.youzan);
    for (const title of ['手工重复一', '手工重复二'])
      await h.stack.yzControl.createItem({
        kdtId,
        title,
        itemNo: 'YZ-DUP-1',
        skus: [{ itemNo: `YZ-DUP-1-${title}`, priceFen: 990, stock: 1 }],
      });
    const ks = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '快手商品 编码重复',
      skus: [{ stock: 5, price: 990, skuNick: 'KS-DUP-1-A' }],
    });
    const listing = await l.draft({
      sourceConnectionId: h.connections.kuaishou.id,
      sourceItemId: ks.itemId,
      targetConnectionId: h.connections.youzan.id,
      outerItemId: 'YZ-DUP-1',
      imageUrls: [PNG],
    });
    expect((await l.call(`/listings/${listing.id}/publish`, { method: 'POST' })).status).toBe(202);
    await h.quiet();

    const failed = await l.get(listing.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'OUTER_ID_NOT_UNIQUE', targetItemId: null });
    expect(failed.findings.find((f) => f.code === 'OUTER_ID_NOT_UNIQUE')).toBeDefined();
    const holders = [...h.stack.yz.store.items.values()].filter((i) => i.kdtId === kdtId && i.itemNo === 'YZ-DUP-1');
    expect(holders).toHaveLength(2);
    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { entityRef: listing.id });
    expect(failure).toMatchObject({ errorCode: 'OUTER_ID_NOT_UNIQUE', status: 'open' });
    expect(failure.reason).toContain('YZ-DUP-1');
    const bound = await h.stack.t.app
      .get(SkuBindingService)
      .findInShop(h.merchantId, h.connections.youzan.id, 'KS-DUP-1-A');
    expect(bound).toBeNull();
  });

  it('binds an item the other platform already has (same merchant code) instead of creating a second', async () => {
    const item = await l.youzanItem('TWIN-1', ['TWIN-1-A']);
    const twin = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '已有的快手商品',
      relItemId: relIdFor('TWIN-1'),
      skus: [{ stock: 0, price: 19_900, skuNick: 'TWIN-1-A' }],
    });
    const listing = await l.draftForKuaishou(item.itemId);
    await l.publishAndWait(listing.id);

    expect(await l.get(listing.id)).toMatchObject({ status: 'live', origin: 'bound', targetItemId: twin.itemId });
    expect(await l.kuaishouItemsWithRel('TWIN-1')).toHaveLength(1);
    const ops = await h.stack.t.app.get(ListingPublishService).publishOps(listing.id);
    expect(ops).toEqual([]);
    const binding = await h.stack.t.app
      .get(SkuBindingService)
      .findInShop(h.merchantId, h.connections.kuaishou.id, 'TWIN-1-A');
    expect(binding).toMatchObject({ platformItemId: twin.itemId, platformSkuId: twin.skus[0].skuId });
  });

  it('settles a create whose answer was lost by its outer id, without a second item', async () => {
    const item = await l.youzanItem('LOST-1', ['LOST-1-A']);
    const listing = await l.draftForKuaishou(item.itemId);
    await l.publishUnderKuaishouFault(listing.id, { dropResponseRate: 1 });
    const settled = await l.get(listing.id);
    expect(settled).toMatchObject({ status: 'pending_audit', origin: 'created' });
    const items = await l.kuaishouItemsWithRel('LOST-1');
    expect(items).toHaveLength(1);
    const ops = await h.stack.t.app.get(ListingPublishService).publishOps(listing.id);
    expect(ops.map((o) => [o.status, o.platformItemId])).toEqual([['created', settled.targetItemId]]);
    // The answer really was lost: the journal was settled by the lookup, not by the create's answer.
    expect(ops[0].error).toMatch(/^settled by outer-id lookup/);
  });

  it('leaves a create that did not answer unknown, and the failure’s retry settles the journal before creating once', async () => {
    const item = await l.youzanItem('DOWN-1', ['DOWN-1-A']);
    const listing = await l.draftForKuaishou(item.itemId);
    await l.publishUnderKuaishouFault(listing.id, { httpErrorRate: 1 });
    expect(await l.get(listing.id)).toMatchObject({ status: 'failed', errorCode: 'OUTCOME_UNKNOWN' });
    expect(await l.kuaishouItemsWithRel('DOWN-1')).toHaveLength(0);
    const service = h.stack.t.app.get(ListingPublishService);
    expect((await service.publishOps(listing.id)).map((o) => o.status)).toEqual(['unknown']);

    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { entityRef: listing.id });
    expect(failure).toMatchObject({ context: 'catalog', errorCode: 'OUTCOME_UNKNOWN', status: 'open' });
    const retried = await h.stack.t.app.get(SyncFailureService).retry(failure.id);
    expect(retried.status).toBe('resolved');
    await h.quiet();
    expect(await l.get(listing.id)).toMatchObject({ status: 'pending_audit', origin: 'created' });
    expect(await l.kuaishouItemsWithRel('DOWN-1')).toHaveLength(1);
    expect((await service.publishOps(listing.id)).map((o) => o.status)).toEqual(['unknown', 'created']);
  });

  it('lists the listings with status and findings on the catalog page, and publishes from its button', async () => {
    const item = await l.youzanItem('PAGE-1', ['PAGE-1-A']);
    const listing = await l.draft({
      sourceConnectionId: h.connections.youzan.id,
      sourceItemId: item.itemId,
      targetConnectionId: h.connections.kuaishou.id,
      categoryId: DAILY,
      imageUrls: [],
    });
    const pageUrl = `${h.stack.url}/merchants/${h.merchantId}/catalog`;
    const shown = await (await fetch(pageUrl, { headers: h.auth })).text();
    expect(shown).toContain(`data-testid="listing-${listing.id}"`);
    expect(shown).toContain('IMAGE_COUNT');
    expect(shown).toContain(`data-testid="publish-${listing.id}"`);

    const post = () =>
      fetch(`${pageUrl}/listings/${listing.id}/publish`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...h.auth },
        body: '',
      });
    const refused = await post();
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(refused.headers.get('location') ?? '')).toContain('IMAGE_COUNT');
    expect((await l.get(listing.id)).status).toBe('draft');

    await l.draftForKuaishou(item.itemId);
    const queued = await post();
    expect(decodeURIComponent(queued.headers.get('location') ?? '')).toContain('ok=Listing queued');
    await h.quiet();
    expect((await l.get(listing.id)).status).toBe('pending_audit');
  });

  it('answers two drafts of one item sent at once without a 500, keeping one listing', async () => {
    const item = await l.youzanItem('TWIN-DRAFT', ['TWIN-DRAFT-A']);
    const body = {
      sourceConnectionId: h.connections.youzan.id,
      sourceItemId: item.itemId,
      targetConnectionId: h.connections.kuaishou.id,
      categoryId: DRESS,
      imageUrls: [IMAGE],
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => (await l.call('/listings', { method: 'POST', body })).status),
    );
    expect(answers.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(answers).toContain(201);
    const list = (await (await l.call('/listings')).json()) as Listing[];
    const rows = list.filter((row) => row.outerItemId === 'TWIN-DRAFT');
    expect(rows).toHaveLength(1);
  });

  it('validates a draft request field by field', async () => {
    const res = await l.call('/listings', {
      method: 'POST',
      body: { sourceConnectionId: 'x', sourceItemId: 'abc', imageUrls: ['ftp://x'] },
    });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
    expect(fields).toEqual(['imageUrls', 'sourceConnectionId', 'sourceItemId', 'targetConnectionId']);
  });
});

describe('publishing listings past the daily create cap', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('listings-cap', { label: 'listings-cap', kuaishou: { dailyItemCreateLimit: 1 } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('queues the listing for the next China day instead of failing it, then publishes it', async () => {
    const l = new ListingApi(h);
    const ids: string[] = [];
    for (const code of ['CAP-1', 'CAP-2']) {
      const item = await l.youzanItem(code, [`${code}-A`]);
      const listing = await l.draftForKuaishou(item.itemId);
      await l.publishAndWait(listing.id);
      ids.push(listing.id);
    }
    expect((await l.get(ids[0])).status).toBe('live');
    const queued = await l.get(ids[1]);
    expect(queued).toMatchObject({ status: 'queued', errorCode: 'DAILY_CREATE_CAP' });
    expect(queued.nextAttemptAt).toBeGreaterThan(Date.now());
    expect((queued.nextAttemptAt! + 8 * 3_600_000) % 86_400_000).toBe(0);
    const failures = await h.db.dataSource.manager.findBy(SyncFailureEntity, { entityRef: ids[1] });
    expect(failures).toEqual([]);

    // Not due yet: nothing is tried.
    const job = h.stack.t.app.get(ListingPublishJob);
    expect((await job.enqueueDue()).publish).toBe(0);

    // The next China day, on the platform and for the job.
    h.stack.ks.clock.advance(queued.nextAttemptAt! - Date.now() + 60_000);
    expect((await job.enqueueDue(queued.nextAttemptAt!)).publish).toBe(1);
    await h.quiet();
    expect(await l.get(ids[1])).toMatchObject({ status: 'live', origin: 'created' });
    expect(await l.kuaishouItemsWithRel('CAP-2')).toHaveLength(1);
  });
});

describe('importing a merchant’s catalog into the other shop', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('listings-import', { label: 'listings-import' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('a dry run reports bound, created and needs-decision items and changes nothing; the real run does it', async () => {
    const l = new ListingApi(h);
    // The twin: a Kuaishou item holding a SKU whose code is already bound in the Kuaishou shop.
    const twinSource = await l.youzanItem('IMP-TWIN', ['IMP-TWIN-A']);
    const ksTwin = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '导入孪生',
      skus: [{ stock: 0, price: 19_900, skuNick: 'IMP-TWIN-A' }],
    });
    await l.call(`/connections/${h.connections.kuaishou.id}/discover-skus`, { method: 'POST' });
    // 居家 maps to 生活日用, which needs no properties: a valid draft.
    const fresh = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '桌面收纳盒',
      desc: '桌面收纳盒，多格分类',
      cid: 6000000,
      itemNo: 'IMP-NEW',
      skus: [{ itemNo: 'IMP-NEW-A', priceFen: 1_500, stock: 2 }],
    });
    const tooLong = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '长'.repeat(61),
      desc: '标题过长的商品',
      cid: 6000000,
      itemNo: 'IMP-LONG',
      skus: [{ itemNo: 'IMP-LONG-A', priceFen: 1_500, stock: 2 }],
    });
    const uncoded = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '无编码商品',
      skus: [{ itemNo: '', priceFen: 1_000, stock: 1 }],
    });
    const ksBefore = (await h.stack.ksControl.listShopItems(h.shops.kuaishou)).length;

    const body = { sourceConnectionId: h.connections.youzan.id, targetConnectionId: h.connections.kuaishou.id };
    const res = await l.call('/listings/import', { method: 'POST', body });
    expect(res.status).toBe(200);
    type Entry = {
      sourceItemId: string;
      targetItemId?: string;
      listingId?: string;
      findings?: string[];
      reason?: string;
    };
    type Report = { dryRun: boolean; scanned: number; bound: Entry[]; created: Entry[]; needsDecision: Entry[] };
    const report = (await res.json()) as Report;
    expect(report).toMatchObject({ dryRun: true, scanned: 4 });
    expect(report.bound).toEqual([
      expect.objectContaining({ sourceItemId: twinSource.itemId, targetItemId: ksTwin.itemId }),
    ]);
    expect(report.created.map((e) => e.sourceItemId)).toEqual([fresh.itemId]);
    const decide = new Map(report.needsDecision.map((e) => [e.sourceItemId, e]));
    expect(decide.get(tooLong.itemId)?.findings).toContain('TITLE_TOO_LONG');
    expect(decide.get(uncoded.itemId)?.reason).toMatch(/merchant code/);
    expect((await h.stack.ksControl.listShopItems(h.shops.kuaishou)).length).toBe(ksBefore);
    expect(await h.stack.t.app.get(ListingPublishService).list(h.merchantId)).toEqual([]);

    const real = (await (
      await l.call('/listings/import', { method: 'POST', body: { ...body, dryRun: false } })
    ).json()) as Report;
    expect(real.dryRun).toBe(false);
    await h.quiet();
    expect(await l.get(real.bound[0].listingId!)).toMatchObject({
      status: 'live',
      origin: 'bound',
      targetItemId: ksTwin.itemId,
    });
    expect(await l.get(real.created[0].listingId!)).toMatchObject({ status: 'live', origin: 'created' });
    // Only the new item was created: the twin was bound, the others wait for the merchant.
    expect((await h.stack.ksControl.listShopItems(h.shops.kuaishou)).length).toBe(ksBefore + 1);
    expect(await l.kuaishouItemsWithRel('IMP-NEW')).toHaveLength(1);
  });
});
