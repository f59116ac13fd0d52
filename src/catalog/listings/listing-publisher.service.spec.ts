import type { Mocked } from '@suites/unit';
import { ConnectionsService } from '@app/accounts/connections.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { PlatformError } from '@app/platforms/platform-error';
import { CHANNELS } from '@app/platforms/ports/channel.registry';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { CatalogMock, catalogMock, connection, listing, refusedAt } from '@test/support/unit/listing-factories';
import { ListingEntity } from './listing.entity';
import { ListingPriceGuards } from './listing-price-guard';
import { ListingRepository } from './listing.repository';
import { ListingPublisherService } from './listing-publisher.service';
import { nextChinaDay } from './publish-policy';

const refusal = (rawMessage: string) =>
  new PlatformError({
    platform: 'kuaishou',
    api: 'open.item.new',
    code: 'INVALID_REQUEST',
    message: rawMessage,
    rawMessage,
  });

describe(ListingPublisherService.name, () => {
  let t: TestService<ListingPublisherService>;
  let repo: Mocked<ListingRepository>;
  let catalog: CatalogMock;
  let failures: Mocked<SyncFailureService>;
  let prices: Mocked<ListingPriceGuards>;
  let row: ListingEntity;

  beforeEach(async () => {
    catalog = catalogMock();
    t = await newTestService(ListingPublisherService, { provide: [[CHANNELS, { catalog: () => catalog }]] });
    repo = t.mocks.get(ListingRepository);
    failures = t.mocks.get(SyncFailureService);
    row = listing();
    repo.lock.mockImplementation(async () => row);
    repo.findById.mockImplementation(async () => row);
    repo.lastOp.mockResolvedValue(null);
    repo.findByTargetOuter.mockResolvedValue(null);
    const connections = t.mocks.get(ConnectionsService);
    connections.findById.mockResolvedValue(connection('kuaishou', 'ks-1'));
    prices = t.mocks.get(ListingPriceGuards);
    prices.check.mockImplementation(async (_merchant, _platform, skus) =>
      skus.map((s) => ({ skuCode: s.skuCode, verdict: 'allowed' as const, priceFen: s.priceFen })),
    );
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
});
