import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * A shop the merchant is disconnecting: while the row lives, no stock writer on any instance plans
 * anything for its listings but their draining (ShopLeaveService). `until` bounds it, so a process
 * that died mid-leave does not keep the shop out of the plan for ever.
 */
@Entity('stock_shop_leaving')
export class ShopLeavingEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'started_at', type: 'bigint', transformer: bigintNumber })
  startedAt: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  until: number;
}
