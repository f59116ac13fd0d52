import type { Mocked } from '@suites/unit';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { DomainException } from '@app/common/errors/domain.exception';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { PlatformError } from '@app/platforms/platform-error';
import { CatalogPort } from '@app/platforms/ports/catalog.port';
import { CHANNELS } from '@app/platforms/ports/channel.registry';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { CategoryTreeService } from '../categories/category-tree.service';
import { ListingEntity } from './listing.entity';
import { ListingPriceGuards, ListingPriceVerdict } from './listing-price-guard';
import { ListingRepository } from './listing.repository';
import { ListingPublishService } from './listing-publish.service';
import { nextChinaDay } from './publish-policy';

const connection = (platform: 'kuaishou' | 'youzan', id: string) =>
  Object.assign(new ShopConnectionEntity(), { id, platform, shopId: `${platform}-shop`, status: 'active' });

const listing = (overrides: Partial<ListingEntity> = {}): ListingEntity =>
  Object.assign(new ListingEntity(), {
    id: 'listing-1',
    merchantId: 'merchant-1',
    sourcePlatform: 'youzan',
    sourceConnectionId: 'yz-1',
    sourceItemId: '100',
    targetPlatform: 'kuaishou',
    targetConnectionId: 'ks-1',
    outerItemId: 'ITEM-1',
    categoryId: '1125',
    draft: {
      title: '收纳盒',
      description: '一个收纳盒',
      imageUrls: ['https://img.example.com/a.jpg'],
      properties: [],
      skus: [{ skuCode: 'ITEM-1-A', specs: [], priceFen: 1000 }],
      sourceSkus: [{ skuCode: 'ITEM-1-A', skuId: '0' }],
    },
    status: 'queued',
    origin: null,
    targetItemId: null,
    auditState: null,
    auditReason: null,
    findings: [],
    errorCode: null,
    reason: null,
    nextAttemptAt: null,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
    publishedAt: null,
    ...overrides,
  });

const refusal = (rawMessage: string) =>
  new PlatformError({
    platform: 'kuaishou',
    api: 'open.item.new',
    code: 'INVALID_REQUEST',
    message: rawMessage,
    rawMessage,
  });

describe(ListingPublishService.name, () => {
  let t: TestService<ListingPublishService>;
  let repo: Mocked<ListingRepository>;
  let catalog: jest.Mocked<
    Pick<CatalogPort, 'createItem' | 'findItemsByOuterId' | 'getItem' | 'getCategoryProperties'>
  >;
  let failures: Mocked<SyncFailureService>;
  let prices: Mocked<ListingPriceGuards>;
  let row: ListingEntity;

  const refusedAt = (proposedFen: number): ListingPriceVerdict => ({
    skuCode: 'ITEM-1-A',
    verdict: 'refused',
    error: 'PARITY_LIMIT',
    message: 'over the limit',
    proposedFen,
    current: { youzan: 1500 },
    limitBp: 1000,
    spreadBp: 5000,
    allowedFen: 1364,
  });

  beforeEach(async () => {
    catalog = {
      createItem: jest.fn(),
      findItemsByOuterId: jest.fn().mockResolvedValue([]),
      getItem: jest.fn(),
      getCategoryProperties: jest.fn().mockResolvedValue([]),
    };
    t = await newTestService(ListingPublishService, { provide: [[CHANNELS, { catalog: () => catalog }]] });
    repo = t.mocks.get(ListingRepository);
    failures = t.mocks.get(SyncFailureService);
    row = listing();
    repo.lock.mockImplementation(async () => row);
    repo.findById.mockImplementation(async () => row);
    repo.lastOp.mockResolvedValue(null);
    repo.findByTargetOuter.mockResolvedValue(null);
    const connections = t.mocks.get(ConnectionsService);
    connections.findById.mockResolvedValue(connection('kuaishou', 'ks-1'));
    connections.getOwned.mockResolvedValue(connection('kuaishou', 'ks-1'));
    t.mocks.get(CategoryTreeService).nodes.mockResolvedValue([]);
    prices = t.mocks.get(ListingPriceGuards);
    prices.check.mockImplementation(async (_merchant, _platform, skus) =>
      skus.map((s) => ({ skuCode: s.skuCode, verdict: 'allowed' as const, priceFen: s.priceFen })),
    );
  });

  describe('createDraft', () => {
    it('answers a draft that lost the race for the unique key with a conflict, not a database error', async () => {
      const sut = t.sut as unknown as Record<string, jest.Mock>;
      jest
        .spyOn(sut, 'shops')
        .mockResolvedValue({ source: connection('youzan', 'yz-1'), target: connection('kuaishou', 'ks-1') });
      jest.spyOn(sut, 'readSource').mockResolvedValue({});
      jest.spyOn(sut, 'draftFrom').mockResolvedValue(listing({ status: 'draft' }));
      jest.spyOn(sut, 'validate').mockResolvedValue([]);
      repo.insert.mockRejectedValue(
        Object.assign(new Error("Duplicate entry 'ks-1-ITEM-1'"), { code: 'ER_DUP_ENTRY' }),
      );
      const error = await t.sut
        .createDraft('merchant-1', { sourceConnectionId: 'yz-1', sourceItemId: '100', targetConnectionId: 'ks-1' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainException);
      expect(error).toMatchObject({ code: 'LISTING_EXISTS' });
    });
  });

  describe('publish', () => {
    it('queues the listing for the next China day when Kuaishou’s daily create cap is used up', async () => {
      catalog.createItem.mockRejectedValue(refusal('每个商家每天最多发布500个商品'));
      const result = await t.sut.publish('listing-1');
      expect(result).toMatchObject({ status: 'queued', errorCode: 'DAILY_CREATE_CAP' });
      expect(result!.nextAttemptAt).toBe(nextChinaDay(t.clock.now()));
      expect(failures.record).not.toHaveBeenCalled();
      expect(repo.saveOp).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'refused' }));
    });

    it('journals the create before calling the platform', async () => {
      let journaledFirst: unknown[] = [];
      catalog.createItem.mockImplementation(async () => {
        journaledFirst = repo.insertOp.mock.calls.map(([op]) => ({ ...op }));
        throw refusal('运费模板无效');
      });
      await t.sut.publish('listing-1');
      expect(catalog.createItem).toHaveBeenCalledTimes(1);
      expect(journaledFirst).toEqual([expect.objectContaining({ status: 'pending', outerItemId: 'ITEM-1' })]);
    });

    it('fails a refused create with the platform reason, not retryable, after the lookup finds nothing', async () => {
      catalog.createItem.mockRejectedValue(refusal('运费模板无效'));
      const result = await t.sut.publish('listing-1');
      expect(result).toMatchObject({ status: 'failed', errorCode: 'INVALID_REQUEST' });
      expect(result!.reason).toContain('运费模板无效');
      expect(failures.record).toHaveBeenCalledWith(
        expect.objectContaining({
          operation: 'catalog.listing-publish',
          retryable: false,
          platformMessage: '运费模板无效',
        }),
      );
    });

    it('shows a refusal as a finding with the rule its reason maps to', async () => {
      catalog.createItem.mockRejectedValue(refusal('必填属性未填写: 品牌(102)'));
      const result = await t.sut.publish('listing-1');
      expect(result!.findings.find((f) => f.field === 'publish')).toMatchObject({
        code: 'PROPERTY_REQUIRED',
        severity: 'error',
        group: 'property',
      });
    });

    it('creates nothing when the parity guard refuses a price, and fails with the numbers', async () => {
      prices.check.mockResolvedValue([refusedAt(1000)]);
      const result = await t.sut.publish('listing-1');
      expect(catalog.createItem).not.toHaveBeenCalled();
      expect(repo.insertOp).not.toHaveBeenCalled();
      expect(result).toMatchObject({ status: 'failed', errorCode: 'PARITY_LIMIT' });
      expect(result!.findings.find((f) => f.code === 'PRICE_PARITY')).toMatchObject({
        severity: 'error',
        field: 'skus[0].priceFen',
      });
      expect(result!.reason).toContain('youzan ¥15.00');
      expect(failures.record).toHaveBeenCalledWith(expect.objectContaining({ errorCode: 'PARITY_LIMIT' }));
    });

    it('creates the item at the clamped price when the policy clamps', async () => {
      prices.check.mockResolvedValue([
        { skuCode: 'ITEM-1-A', verdict: 'clamped', priceFen: 1364, proposedFen: 1000, limitBp: 1000 },
      ]);
      catalog.createItem.mockRejectedValue(refusal('运费模板无效'));
      await t.sut.publish('listing-1');
      expect(catalog.createItem.mock.calls[0][1].skus.map((s) => s.priceFen)).toEqual([1364]);
    });

    it('maps a refusal by its documented code before its words (Youzan 121009313: the image count)', async () => {
      catalog.createItem.mockRejectedValue(
        new PlatformError({
          platform: 'youzan',
          api: 'youzan.item.create',
          code: 'INVALID_REQUEST',
          message: '至少上传一张商品图片',
          rawMessage: '至少上传一张商品图片',
          rawCode: '121009313',
        }),
      );
      const result = await t.sut.publish('listing-1');
      expect(result!.findings.find((f) => f.field === 'publish')).toMatchObject({
        code: 'IMAGE_COUNT',
        group: 'image',
      });
      expect(result!.reason).toContain('IMAGE_COUNT (by code)');
    });

    it('does nothing for a listing that is not queued (a repeated event)', async () => {
      row = listing({ status: 'live' });
      await t.sut.publish('listing-1');
      expect(catalog.createItem).not.toHaveBeenCalled();
      expect(repo.insertOp).not.toHaveBeenCalled();
    });

    it('does not publish a queued listing before its next attempt time', async () => {
      row = listing({ nextAttemptAt: t.clock.now() + 1 });
      await t.sut.publish('listing-1');
      expect(catalog.createItem).not.toHaveBeenCalled();
    });
  });

  describe('requestPublish', () => {
    it('refuses a draft with errors, keeps it a draft with its findings, and enqueues nothing', async () => {
      row = listing({ status: 'draft', draft: { ...listing().draft, imageUrls: [] } });
      const refused = t.sut.requestPublish('merchant-1', 'listing-1');
      await expect(refused).rejects.toBeInstanceOf(DomainException);
      await expect(refused).rejects.toMatchObject({ code: 'LISTING_INVALID' });
      expect(row.status).toBe('draft');
      expect(row.findings.map((f) => f.code)).toContain('IMAGE_COUNT');
      expect(t.mocks.get(OutboxService).enqueue).not.toHaveBeenCalled();
    });

    it('refuses a draft whose price breaks the parity limit with a conflict, and enqueues nothing', async () => {
      row = listing({ status: 'draft' });
      prices.check.mockResolvedValue([refusedAt(1000)]);
      const refused = t.sut.requestPublish('merchant-1', 'listing-1');
      await expect(refused).rejects.toMatchObject({ code: 'PARITY_LIMIT', kind: 'conflict' });
      expect(row.status).toBe('draft');
      expect(row.findings.map((f) => f.code)).toContain('PRICE_PARITY');
      expect(t.mocks.get(OutboxService).enqueue).not.toHaveBeenCalled();
    });

    it('queues a valid draft with one publish event', async () => {
      row = listing({ status: 'draft' });
      await t.sut.requestPublish('merchant-1', 'listing-1');
      expect(row.status).toBe('queued');
      expect(t.mocks.get(OutboxService).enqueue).toHaveBeenCalledWith(
        expect.objectContaining({ name: 'kwaizan.catalog.listing-publish-requested.v1' }),
        { listingId: 'listing-1', reason: 'merchant' },
      );
    });
  });
});
