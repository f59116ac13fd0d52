import { Inject, Injectable } from '@nestjs/common';
import { DomainException } from '@app/common/errors/domain.exception';
import { Db } from '@app/database/db';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { ListingRepository } from './listing.repository';
import {
  ImportEntry,
  ImportInput,
  ImportReport,
  merchantCodeOf,
  missingCodes,
  refOf,
  SeveralTwins,
} from './listing-publish.shared';
import { ListingDraftService } from './listing-drafts.service';
import { ListingPublisherService } from './listing-publisher.service';

const MAX_IMPORT_ITEMS = 500;

/** A source shop's catalog imported into the target shop: twins bound, the others drafted and queued. */
@Injectable()
export class ListingImportService {
  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly drafts: ListingDraftService,
    private readonly publisher: ListingPublisherService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
  ) {}

  /**
   * Over a merchant's source shop: items the target already has (same merchant code) are bound,
   * the others drafted and, when valid, queued for publishing; items without a merchant code or
   * with validation errors need the merchant's decision. A dry run changes nothing.
   */
  async importCatalog(merchantId: string, input: ImportInput): Promise<ImportReport> {
    const shops = await this.drafts.shops(merchantId, input.sourceConnectionId, input.targetConnectionId);
    const report: ImportReport = {
      dryRun: input.dryRun,
      scanned: 0,
      bound: [],
      created: [],
      needsDecision: [],
      existing: [],
    };
    const source = this.channels.catalog(shops.source.platform);
    const targetRef = refOf(shops.target);
    for (let page = 1; report.scanned < MAX_IMPORT_ITEMS; page++) {
      const { items, total } = await source.listItems(refOf(shops.source), { page, pageSize: 50 });
      for (const summary of items) {
        report.scanned++;
        const item = summary.skus.length ? summary : await this.drafts.readSource(shops.source, summary.itemId);
        const entry: ImportEntry = { sourceItemId: item.itemId, outerItemId: merchantCodeOf(item) };
        const missing = missingCodes(item);
        if (!entry.outerItemId || missing.length) {
          report.needsDecision.push({
            ...entry,
            reason: missing.length
              ? `SKUs without a merchant code: ${missing.join(', ')}`
              : 'the item has no merchant code (outer item id)',
          });
          continue;
        }
        const existing = await this.repo.findByTargetOuter(shops.target.id, entry.outerItemId);
        if (existing) {
          report.existing.push({ ...entry, listingId: existing.id, targetItemId: existing.targetItemId ?? undefined });
          continue;
        }
        const listing = await this.drafts.draftFrom(merchantId, shops, item, {});
        const twin = await this.publisher.findTwin(listing, targetRef).catch((error: unknown) => {
          if (error instanceof SeveralTwins) return error;
          throw error;
        });
        if (twin instanceof SeveralTwins) {
          report.needsDecision.push({ ...entry, reason: twin.message });
          continue;
        }
        if (twin) {
          if (!input.dryRun) {
            await this.db.transaction(() => this.repo.insert(listing));
            await this.publisher.landed(listing, targetRef, twin, 'bound');
          }
          report.bound.push({ ...entry, targetItemId: twin.itemId, listingId: input.dryRun ? undefined : listing.id });
          continue;
        }
        listing.findings = await this.drafts.validate(listing, shops.target);
        const errors = listing.findings.filter((f) => f.severity === 'error');
        if (!input.dryRun) await this.db.transaction(() => this.repo.insert(listing));
        const listingId = input.dryRun ? undefined : listing.id;
        if (errors.length) {
          report.needsDecision.push({
            ...entry,
            listingId,
            reason: 'the draft has validation errors',
            findings: [...new Set(errors.map((f) => f.code))],
          });
          continue;
        }
        if (!input.dryRun) {
          try {
            await this.drafts.requestPublish(merchantId, listing.id, 'import');
          } catch (error) {
            if (!(error instanceof DomainException)) throw error;
            report.needsDecision.push({ ...entry, listingId, reason: error.message });
            continue;
          }
        }
        report.created.push({ ...entry, listingId });
      }
      if (!items.length || page * 50 >= total) break;
    }
    return report;
  }
}
