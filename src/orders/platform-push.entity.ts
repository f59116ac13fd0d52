import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** A platform push, stored before it is acknowledged; the platform's message id dedupes. */
@Entity('platform_push')
@Index('idx_platform_push_received', ['receivedAt'])
export class PlatformPushEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  platform: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 100 })
  eventId: string;

  @Column({ type: 'varchar', length: 12 })
  kind: string;

  @Column({ name: 'raw_type', type: 'varchar', length: 80 })
  rawType: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 100, nullable: true })
  shopId: string | null;

  @Column({ name: 'order_id', type: 'varchar', length: 64, nullable: true })
  orderId: string | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  @Column({ name: 'received_at', type: 'bigint', transformer: bigintNumber })
  receivedAt: number;
}
