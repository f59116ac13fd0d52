import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** How far the polling backstop has read a shop's orders. */
@Entity('order_sync_state')
export class OrderSyncStateEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  /** Orders updated before this time, on the platform's clock, have been read. */
  @Column({ name: 'polled_until', type: 'bigint', transformer: bigintNumber })
  polledUntil: number;

  @Column({ name: 'last_poll_at', type: 'bigint', transformer: bigintNumber })
  lastPollAt: number;

  @Column({ name: 'orders_seen', type: 'int', default: 0 })
  ordersSeen: number;

  /** Service-clock time before which every sale that took stock in the shop has been ingested. */
  @Column({ name: 'feed_complete_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  feedCompleteUntil: number | null;

  /** Refunds updated before this time, on the platform's clock, have been read. */
  @Column({ name: 'refunds_polled_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  refundsPolledUntil: number | null;
}
