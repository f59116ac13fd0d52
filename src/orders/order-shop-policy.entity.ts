import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** A shop's ship promise after payment, for platforms that compute no ship-by (Youzan). */
@Entity('order_shop_policy')
export class OrderShopPolicyEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'promise_hours', type: 'int' })
  promiseHours: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
