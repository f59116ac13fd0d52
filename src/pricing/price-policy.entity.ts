import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';
import type { Adjustment } from './parity';

export type PriceMaster = 'youzan' | 'kuaishou' | 'erp';
/** What a write beyond the parity limit does: refused with the numbers, or clamped to the nearest allowed price. */
export type ParityBreach = 'refuse' | 'clamp';
/** What the audit does with a spread beyond the limit: write the policy's prices back, or only alert. */
export type AuditAction = 'correct' | 'alert';

/** The merchant's defaults (`scope` = `*`). */
export const DEFAULT_SCOPE = '*';

/**
 * Price policy of a merchant: one row of defaults (`scope` = `*`) and per-SKU overrides
 * (`scope` = merchant SKU id). An override's null fields take the defaults.
 */
@Entity('price_policy')
@Index('uq_price_policy_scope', ['merchantId', 'scope'], { unique: true })
export class PricePolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 36 })
  scope: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  master: PriceMaster | null;

  /** Per platform: percent (basis points) and/or fixed fen added to the master price. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  adjustments: Partial<Record<'kuaishou' | 'youzan', Adjustment>> | null;

  /** Last two fen digits every derived price ends in (90 → ¥x.90, 99 → ¥x.99). */
  @Column({ name: 'rounding_ending_fen', type: 'int', nullable: true })
  roundingEndingFen: number | null;

  @Column({ name: 'floor_fen', type: 'int', nullable: true })
  floorFen: number | null;

  @Column({ name: 'ceiling_fen', type: 'int', nullable: true })
  ceilingFen: number | null;

  /** Basis points (1000 = 10 %). */
  @Column({ name: 'parity_limit_bp', type: 'int', nullable: true })
  parityLimitBp: number | null;

  /** The highest limit this merchant may set (10 % unless an admin allowed more); defaults row only. */
  @Column({ name: 'parity_allowance_bp', type: 'int', nullable: true })
  parityAllowanceBp: number | null;

  @Column({ name: 'on_breach', type: 'varchar', length: 10, nullable: true })
  onBreach: ParityBreach | null;

  @Column({ name: 'audit_action', type: 'varchar', length: 10, nullable: true })
  auditAction: AuditAction | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
