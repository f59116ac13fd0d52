import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { createHash } from 'crypto';
import { CatalogPort } from '@app/platforms/ports/catalog.port';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { ListingImageUploadEntity } from './listing-image-upload.entity';
import { ListingEntity } from './listing.entity';
import { ListingRepository } from './listing.repository';

/** The draft's images on the target platform's image host (Kuaishou), each upload journaled once. */
@Injectable()
export class ListingImageHostService {
  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Images uploaded for a listing (its journal), oldest first. */
  imageUploads(listingId: string): Promise<ListingImageUploadEntity[]> {
    return this.repo.listUploads(listingId);
  }

  /**
   * The draft's images on the target's image host: already-hosted URLs as they are, the others
   * uploaded once per target shop and source URL. Each upload is journaled as it answers, so a
   * publish retried after a failure uploads only what is not journaled yet.
   */
  async hostImages(listing: ListingEntity, shop: ShopRef, catalog: CatalogPort): Promise<string[]> {
    const hosted: string[] = [];
    for (const url of listing.draft.imageUrls) {
      if (catalog.isHostedImage?.(url)) {
        hosted.push(url);
        continue;
      }
      const sourceHash = createHash('sha256').update(url).digest('hex');
      const known = await this.repo.findUpload(listing.targetConnectionId, sourceHash);
      if (known) {
        hosted.push(known.hostedUrl);
        continue;
      }
      const hostedUrl = await catalog.uploadImage!(shop, { url, kind: 'main' });
      const upload = Object.assign(new ListingImageUploadEntity(), {
        id: this.ids.uuid(),
        connectionId: listing.targetConnectionId,
        listingId: listing.id,
        sourceHash,
        sourceUrl: url.slice(0, 500),
        hostedUrl,
        createdAt: this.clock.now(),
      });
      await this.db.transaction(() => this.repo.insertUpload(upload));
      hosted.push((await this.repo.findUpload(listing.targetConnectionId, sourceHash))?.hostedUrl ?? hostedUrl);
    }
    return hosted;
  }
}
