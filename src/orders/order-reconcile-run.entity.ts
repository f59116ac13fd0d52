import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';

export interface ReconcileFinding {
  platformOrderId: string;
  kind: 'missing' | 'drifted' | 'duplicated';
  /** Registry status before the repair (drifted), platform status. */
  registryStatus?: string;
  platformStatus: string;
  repaired: boolean;
}

/** One comparison of a shop's platform order list with the registry, and what it found and fixed. */
@Entity('order_reconcile_run')
@Index('idx_order_reconcile_run_merchant', ['merchantId', 'startedAt'])
export class OrderReconcileRunEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  @Column({ name: 'window_from', type: 'bigint', transformer: bigintNumber })
  windowFrom: number;

  @Column({ name: 'window_until', type: 'bigint', transformer: bigintNumber })
  windowUntil: number;

  @Column({ name: 'platform_orders', type: 'int' })
  platformOrders: number;

  @Column({ type: 'int' })
  missing: number;

  @Column({ type: 'int' })
  drifted: number;

  @Column({ type: 'int' })
  duplicated: number;

  @Column({ type: 'int' })
  repaired: number;

  @Column({ type: 'varchar', length: 10 })
  status: 'ok' | 'repaired' | 'failed';

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  details: ReconcileFinding[] | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'started_at', type: 'bigint', transformer: bigintNumber })
  startedAt: number;

  @Column({ name: 'finished_at', type: 'bigint', transformer: bigintNumber })
  finishedAt: number;
}
