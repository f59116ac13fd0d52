import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

/** One-time OAuth `state`: short-lived, bound to a merchant and a platform, refused on replay. */
@Entity('oauth_state')
@Index('idx_oauth_state_expires', ['expiresAt'])
export class OAuthStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  /** SHA-256 of the session cookie that started the flow. */
  @Column({ name: 'session_hash', type: 'varchar', length: 64, nullable: true })
  sessionHash: string | null;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  usedAt: number | null;
}
