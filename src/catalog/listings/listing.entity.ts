import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../database/columns';
import type { Platform } from '../../platforms/ports/platform.types';
import type { ListingDraft, ListingFinding } from './listing-validation';

export const LISTING_STATUSES = [
  'draft',
  'validating',
  'queued',
  'publishing',
  'pending_audit',
  'live',
  'rejected',
  'failed',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
export type ListingAudit = 'pending' | 'approved' | 'rejected' | 'needs_changes';
/** created: this service made the target item; bound: the target already had it (same merchant code). */
export type ListingOrigin = 'created' | 'bound';

/** A merchant's listing of one source item on the other platform: the draft, then the target item and its audit. */
@Entity('listing')
// One listing per merchant code per target shop: a second draft of the same item is the same listing.
@Index('uq_listing_target_outer', ['targetConnectionId', 'outerItemId'], { unique: true })
@Index('idx_listing_merchant_created', ['merchantId', 'createdAt'])
@Index('idx_listing_status_next', ['status', 'nextAttemptAt'])
export class ListingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'source_platform', type: 'varchar', length: 20 })
  sourcePlatform: Platform;

  @Column({ name: 'source_connection_id', type: 'varchar', length: 36 })
  sourceConnectionId: string;

  @Column({ name: 'source_item_id', type: 'varchar', length: 40 })
  sourceItemId: string;

  @Column({ name: 'target_platform', type: 'varchar', length: 20 })
  targetPlatform: Platform;

  @Column({ name: 'target_connection_id', type: 'varchar', length: 36 })
  targetConnectionId: string;

  /** The merchant code the target item carries (Kuaishou `relItemId`, Youzan `item_no`). */
  @Column({ name: 'outer_item_id', type: 'varchar', length: 64 })
  outerItemId: string;

  @Column({ name: 'category_id', type: 'varchar', length: 40, nullable: true })
  categoryId: string | null;

  @Column({ type: 'text', transformer: jsonText })
  draft: ListingDraft;

  @Column({ type: 'varchar', length: 16 })
  status: ListingStatus;

  @Column({ type: 'varchar', length: 8, nullable: true })
  origin: ListingOrigin | null;

  @Column({ name: 'target_item_id', type: 'varchar', length: 40, nullable: true })
  targetItemId: string | null;

  @Column({ name: 'audit_state', type: 'varchar', length: 16, nullable: true })
  auditState: ListingAudit | null;

  @Column({ name: 'audit_reason', type: 'varchar', length: 500, nullable: true })
  auditReason: string | null;

  @Column({ type: 'text', transformer: jsonText })
  findings: ListingFinding[];

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** When a queued listing may be tried again (the next China day after the daily create cap). */
  @Column({ name: 'next_attempt_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  nextAttemptAt: number | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  @Column({ name: 'published_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  publishedAt: number | null;
}
