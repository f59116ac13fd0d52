import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** owner/staff belong to one merchant; ops and admin are operators of the service. */
export type UserRole = 'owner' | 'staff' | 'ops' | 'admin';
export const USER_ROLES: UserRole[] = ['owner', 'staff', 'ops', 'admin'];
export const isOperator = (role: UserRole): boolean => role === 'ops' || role === 'admin';

@Entity('app_user')
@Index('uq_app_user_email', ['email'], { unique: true })
@Index('idx_app_user_merchant', ['merchantId'])
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 10 })
  role: UserRole;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true })
  merchantId: string | null;

  @Column({ name: 'disabled_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  disabledAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
