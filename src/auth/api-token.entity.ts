import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** A token for scripts: acts for the user who made it (and that user's merchant); stored as SHA-256 only. */
@Entity('api_token')
@Index('uq_api_token_hash', ['tokenHash'], { unique: true })
@Index('idx_api_token_user', ['userId'])
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true })
  merchantId: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  revokedAt: number | null;
}
