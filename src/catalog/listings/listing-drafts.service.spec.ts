import type { Mocked } from '@suites/unit';
import { ConnectionsService } from '@app/accounts/connections.service';
import { DomainException } from '@app/common/errors/domain.exception';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { CHANNELS } from '@app/platforms/ports/channel.registry';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { CatalogMock, catalogMock, connection, listing, refusedAt } from '@test/support/unit/listing-factories';
import { CategoryTreeService } from '../categories/category-tree.service';
import { ListingEntity } from './listing.entity';
import { ListingPriceGuards } from './listing-price-guard';
import { ListingRepository } from './listing.repository';
import { ListingDraftService } from './listing-drafts.service';

describe(ListingDraftService.name, () => {
  let t: TestService<ListingDraftService>;
  let repo: Mocked<ListingRepository>;
  let catalog: CatalogMock;
  let prices: Mocked<ListingPriceGuards>;
  let row: ListingEntity;

  beforeEach(async () => {
    catalog = catalogMock();
    t = await newTestService(ListingDraftService, { provide: [[CHANNELS, { catalog: () => catalog }]] });
    repo = t.mocks.get(ListingRepository);
    row = listing();
    repo.lock.mockImplementation(async () => row);
    repo.findById.mockImplementation(async () => row);
    repo.findByTargetOuter.mockResolvedValue(null);
    const connections = t.mocks.get(ConnectionsService);
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
