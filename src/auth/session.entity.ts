import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** A signed-in browser. Only the SHA-256 of the cookie value is stored, so a database leak opens no session. */
@Entity('auth_session')
@Index('idx_auth_session_user', ['userId'])
@Index('idx_auth_session_expires', ['expiresAt'])
@Index('idx_auth_session_last_seen', ['lastSeenAt'])
export class SessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', transformer: bigintNumber })
  lastSeenAt: number;

  /** Absolute end, whatever the activity. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;
}
