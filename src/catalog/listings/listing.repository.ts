import { Injectable } from '@nestjs/common';
import { In, LessThanOrEqual } from 'typeorm';
import { Db } from '../../database/db';
import { ListingImageUploadEntity } from './listing-image-upload.entity';
import { ListingPublishOpEntity } from './listing-publish-op.entity';
import { ListingSkuEditEntity } from './listing-sku-edit.entity';
import { ListingEntity, ListingStatus } from './listing.entity';

@Injectable()
export class ListingRepository {
  constructor(private readonly db: Db) {}

  private get listings() {
    return this.db.manager.getRepository(ListingEntity);
  }

  private get ops() {
    return this.db.manager.getRepository(ListingPublishOpEntity);
  }

  private get uploads() {
    return this.db.manager.getRepository(ListingImageUploadEntity);
  }

  private get skuEdits() {
    return this.db.manager.getRepository(ListingSkuEditEntity);
  }

  async insertSkuEdits(edits: ListingSkuEditEntity[]): Promise<void> {
    if (edits.length) await this.skuEdits.insert(edits);
  }

  async saveSkuEdit(edit: ListingSkuEditEntity): Promise<void> {
    await this.skuEdits.save(edit);
  }

  listSkuEdits(listingId: string): Promise<ListingSkuEditEntity[]> {
    return this.skuEdits.find({ where: { listingId }, order: { createdAt: 'ASC' } });
  }

  findUpload(connectionId: string, sourceHash: string): Promise<ListingImageUploadEntity | null> {
    return this.uploads.findOneBy({ connectionId, sourceHash });
  }

  /** Journals an upload; a concurrent journal of the same image keeps the first. */
  async insertUpload(upload: ListingImageUploadEntity): Promise<void> {
    await this.uploads.createQueryBuilder().insert().into(ListingImageUploadEntity).values(upload).orIgnore().execute();
  }

  listUploads(listingId: string): Promise<ListingImageUploadEntity[]> {
    return this.uploads.find({ where: { listingId }, order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<ListingEntity | null> {
    return this.listings.findOneBy({ id });
  }

  lock(id: string): Promise<ListingEntity | null> {
    return this.db.forUpdate(this.listings.createQueryBuilder('l').where('l.id = :id', { id })).getOne();
  }

  findByTargetOuter(targetConnectionId: string, outerItemId: string): Promise<ListingEntity | null> {
    return this.listings.findOneBy({ targetConnectionId, outerItemId });
  }

  listByMerchant(merchantId: string): Promise<ListingEntity[]> {
    return this.listings.find({ where: { merchantId }, order: { createdAt: 'DESC' }, take: 500 });
  }

  /** Queued listings whose next attempt has come (the daily cap rolled over). */
  dueForPublish(now: number, limit = 200): Promise<ListingEntity[]> {
    return this.listings.find({
      where: { status: 'queued', nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: limit,
    });
  }

  listByStatus(statuses: ListingStatus[], limit = 500): Promise<ListingEntity[]> {
    return this.listings.find({ where: { status: In(statuses) }, order: { updatedAt: 'ASC' }, take: limit });
  }

  async insert(listing: ListingEntity): Promise<void> {
    await this.listings.insert(listing);
  }

  async save(listing: ListingEntity): Promise<void> {
    await this.listings.save(listing);
  }

  async insertOp(op: ListingPublishOpEntity): Promise<void> {
    await this.ops.insert(op);
  }

  async saveOp(op: ListingPublishOpEntity): Promise<void> {
    await this.ops.save(op);
  }

  /** The listing's last create attempt (the one to settle before creating again). */
  lastOp(listingId: string): Promise<ListingPublishOpEntity | null> {
    return this.ops.findOne({ where: { listingId }, order: { createdAt: 'DESC' } });
  }

  listOps(listingId: string): Promise<ListingPublishOpEntity[]> {
    return this.ops.find({ where: { listingId }, order: { createdAt: 'ASC' } });
  }
}
