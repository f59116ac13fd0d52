import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '@app/database/columns';

/** The audit trail of ops settings: who changed what, when, from which value to which. */
@Entity('ops_setting_change')
@Index('idx_ops_setting_change_changed_at', ['changedAt'])
export class OpsSettingChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** Effective values: the default when no override existed or the override was removed. */
  @Column({ name: 'old_value', type: 'text', transformer: jsonText })
  oldValue: number | number[];

  @Column({ name: 'new_value', type: 'text', transformer: jsonText })
  newValue: number | number[];

  @Column({ name: 'changed_by_user_id', type: 'varchar', length: 36 })
  changedByUserId: string;

  @Column({ name: 'changed_by', type: 'varchar', length: 254 })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'bigint', transformer: bigintNumber })
  changedAt: number;
}
