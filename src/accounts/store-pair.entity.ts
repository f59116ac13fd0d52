import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

export type StorePairStatus = 'active' | 'unbound';

/** One Kuaishou shop and one Youzan shop of a merchant: the unit every sync works on. */
@Entity('store_pair')
@Index('uq_store_pair_kuaishou', ['kuaishouConnectionId'], { unique: true })
@Index('uq_store_pair_youzan', ['youzanConnectionId'], { unique: true })
@Index('idx_store_pair_merchant', ['merchantId'])
export class StorePairEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'kuaishou_connection_id', type: 'varchar', length: 36 })
  kuaishouConnectionId: string;

  @Column({ name: 'youzan_connection_id', type: 'varchar', length: 36 })
  youzanConnectionId: string;

  @Column({ type: 'varchar', length: 20 })
  status: StorePairStatus;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
