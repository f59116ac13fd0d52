import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** How far the polling backstop has read a shop's orders. */
@Entity('order_sync_state')
export class OrderSyncStateEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  /** Orders updated before this time have been read. */
  @Column({ name: 'polled_until', type: 'bigint', transformer: bigintNumber })
  polledUntil: number;

  @Column({ name: 'last_poll_at', type: 'bigint', transformer: bigintNumber })
  lastPollAt: number;

  @Column({ name: 'orders_seen', type: 'int', default: 0 })
  ordersSeen: number;
}
