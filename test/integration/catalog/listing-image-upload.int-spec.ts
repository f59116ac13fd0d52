import { deflateSync } from 'zlib';
import { ListingPublishService } from '@app/catalog/listings/listing-publish.service';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { isPlatformError } from '@app/platforms/platform-error';
import { CHANNELS, ChannelRegistry } from '@app/platforms/ports/channel.registry';
import { InventoryHarness } from '../inventory/inventory.harness';
import { DAILY, ListingApi, ListingView as Listing } from './listing.harness';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** A real grey PNG of the given size (so the emulator's size and format checks read it). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const dataUrl = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;
const BIG_PNG = dataUrl(png(600, 600));
const REMOTE = 'https://img.example.com/upload-second.jpg';
const HOST = /^https:\/\/[^/]+\.kwaixiaodian\.com\//;

describe('Kuaishou image upload (open.item.image.upload) and publishing with hosted images', () => {
  let h: InventoryHarness;
  let l: ListingApi;

  beforeAll(async () => {
    h = await InventoryHarness.start('ksimages', { label: 'ksimages', kuaishou: { auditMode: 'manual' } });
    l = new ListingApi(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  const storageBox = (code: string) =>
    l.youzanItem(code, [`${code}-A`], {
      title: `家用收纳盒 ${code}`,
      desc: '家用多功能收纳盒，大容量，可叠放',
      priceFen: 2_900,
      stock: 3,
    });
  const uploads = () => h.stack.ks.counters.snapshot().calls['open.item.image.upload'] ?? 0;
  const shop = () => ({
    platform: 'kuaishou' as const,
    connectionId: h.connections.kuaishou.id,
    shopId: h.connections.kuaishou.shopId,
  });
  const catalog = () => h.stack.t.app.get<ChannelRegistry>(CHANNELS).catalog('kuaishou');

  it('answers a Kuaishou-hosted URL for image bytes, and refuses non-image bytes and too small square images', async () => {
    const hosted = await catalog().uploadImage!(shop(), { url: BIG_PNG });
    expect(hosted).toMatch(HOST);
    expect(h.stack.ks.store.hostedImages.has(hosted)).toBe(true);

    const notImage = await catalog().uploadImage!(shop(), {
      url: dataUrl(Buffer.from('not an image at all'), 'image/jpeg'),
    }).catch((e: unknown) => e);
    expect(isPlatformError(notImage) && notImage.rawMessage).toContain('图片格式不正确');

    const small = await catalog().uploadImage!(shop(), { url: dataUrl(png(100, 100)), kind: 'white_background' }).catch(
      (e: unknown) => e,
    );
    expect(isPlatformError(small) && small.rawMessage).toContain('480');
    const oblong = await catalog().uploadImage!(shop(), {
      url: dataUrl(png(600, 500)),
      kind: 'white_background',
    }).catch((e: unknown) => e);
    expect(isPlatformError(oblong) && oblong.rawMessage).toContain('1:1');
  });

  it('uploads the source images before the create, journaled per image, so a retried publish uploads none again', async () => {
    const item = await storageBox('IMG-1');
    const listing = await l.draftForKuaishou(item.itemId, { imageUrls: [BIG_PNG, REMOTE] });
    expect(listing.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const before = uploads();
    // The create's answer is lost: the images are uploaded and journaled, the create is not settled.
    await l.publishUnderKuaishouFault(listing.id, { httpErrorRate: 1 });
    expect(await l.get(listing.id)).toMatchObject({ status: 'failed', errorCode: 'OUTCOME_UNKNOWN' });
    expect(uploads() - before).toBe(2);
    const service = h.stack.t.app.get(ListingPublishService);
    const journal = await service.imageUploads(listing.id);
    expect(journal).toHaveLength(2);
    for (const row of journal) expect(h.stack.ks.store.hostedImages.has(row.hostedUrl)).toBe(true);

    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { entityRef: listing.id });
    await h.stack.t.app.get(SyncFailureService).retry(failure.id);
    await h.quiet();
    const published = await l.get(listing.id);
    expect(published.status).toBe('pending_audit');
    // No second upload: the journal answered for both images.
    expect(uploads() - before).toBe(2);
    // What Kuaishou holds: the hosted URLs, in the draft's order, for main and detail images.
    const stored = h.stack.ks.store.items.get(published.targetItemId!)!;
    const hostedOf = (source: string) => journal.find((row) => source.startsWith(row.sourceUrl))!.hostedUrl;
    expect(stored.imageUrls).toEqual([hostedOf(BIG_PNG), hostedOf(REMOTE)]);
    expect(stored.imageUrls.every((u) => HOST.test(u) && h.stack.ks.store.hostedImages.has(u))).toBe(true);
    expect(stored.detailImageUrls.every((u) => h.stack.ks.store.hostedImages.has(u))).toBe(true);
  });

  it('turns Kuaishou refusing an image it never hosted into a failed listing with an IMAGE_NOT_HOSTED finding, creating nothing', async () => {
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '家用收纳盒 FAKEHOST-1',
      desc: '家用多功能收纳盒，大容量，可叠放',
      itemNo: 'FAKEHOST-1',
      skus: [{ itemNo: 'FAKEHOST-1-A', priceFen: 2_900, stock: 3, specs: [{ k: '颜色', v: '白' }] }],
    });
    // On Kuaishou's host by its name, so not uploaded again, but Kuaishou never issued it.
    const made = 'https://p4-ec.kwaixiaodian.com/bs2/image-kwaishop-product/not-issued.jpg';
    const created = (await (
      await l.call('/listings', {
        method: 'POST',
        body: {
          sourceConnectionId: h.connections.youzan.id,
          sourceItemId: item.itemId,
          targetConnectionId: h.connections.kuaishou.id,
          categoryId: DAILY,
          imageUrls: [made],
        },
      })
    ).json()) as Listing;
    const itemsBefore = h.stack.ks.store.items.size;
    expect((await l.call(`/listings/${created.id}/publish`, { method: 'POST' })).status).toBe(202);
    await h.quiet();
    const failed = await l.get(created.id);
    expect(failed).toMatchObject({ status: 'failed', targetItemId: null });
    expect(failed.findings.find((f) => f.code === 'IMAGE_NOT_HOSTED')).toMatchObject({ severity: 'error' });
    expect(h.stack.ks.store.items.size).toBe(itemsBefore);
    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { entityRef: created.id });
    expect(failure.platformMessage).toContain('不是快手图片地址');
  });

  it('edits a published listing through the same validation, tracks the re-audit, and explains Kuaishou 3401', async () => {
    const item = await storageBox('EDIT-1');
    const created = await l.draftForKuaishou(item.itemId, { imageUrls: [REMOTE] });
    await l.publishAndWait(created.id);
    const published = await l.get(created.id);
    expect(published.status).toBe('pending_audit');
    const itemId = published.targetItemId!;
    await h.stack.ksControl.auditItem(itemId, true);
    const service = h.stack.t.app.get(ListingPublishService);
    expect((await service.checkAudit(created.id))?.status).toBe('live');

    const patch = (body: unknown) => l.call(`/listings/${created.id}`, { method: 'PATCH', body });
    // Bad input: a 400 with field messages; a rule broken: a 422 with the validator's findings. Nothing sent.
    const bad = await patch({ title: 7, imageUrls: ['ftp://x'] });
    expect(bad.status).toBe(400);
    const broken = await patch({ imageUrls: [] });
    expect(broken.status).toBe(422);
    expect(JSON.stringify(await broken.json())).toContain('IMAGE_COUNT');

    const edited = await patch({ title: '家用收纳盒 加厚款 EDIT-1', imageUrls: [BIG_PNG] });
    expect(edited.status).toBe(200);
    const view = (await edited.json()) as Listing & { draft: { title: string }; auditState: string };
    expect(view.draft.title).toBe('家用收纳盒 加厚款 EDIT-1');
    // The emulator holds the edit under audit until Kuaishou approves it; then it is the item's.
    await h.stack.ksControl.auditItem(itemId, true);
    const stored = h.stack.ks.store.items.get(itemId)!;
    expect(stored.title).toBe('家用收纳盒 加厚款 EDIT-1');
    expect(stored.imageUrls).toHaveLength(1);
    expect(h.stack.ks.store.hostedImages.has(stored.imageUrls[0])).toBe(true);

    // Once edited in Kuaishou's own editor, API edits are refused with 3401: explained, not a bare error.
    await h.stack.ksControl.updateItem(itemId, { onlineEdited: true });
    const refused = await patch({ title: '家用收纳盒 再改 EDIT-1' });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('ITEM_EDITED_ONLINE');
    const after = await l.get(created.id);
    const finding = after.findings.find((f) => f.code === 'PLATFORM_REFUSED') as
      (Listing['findings'][number] & { field: string; hint: { en: string } }) | undefined;
    expect(finding?.field).toBe('edit');
    expect(finding?.hint.en).toContain('Kuaishou shop app');
    expect(h.stack.ks.store.items.get(itemId)!.title).toBe('家用收纳盒 加厚款 EDIT-1');
  });
});
