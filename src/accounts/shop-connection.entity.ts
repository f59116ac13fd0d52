import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

/**
 * active: tokens work. needs_reauth: the grant is gone or about to be; the merchant must
 * authorize again. revoked: the platform said the merchant withdrew the app. unbound: the
 * merchant disconnected the shop here; history stays, tokens are wiped.
 */
export type ConnectionStatus = 'active' | 'needs_reauth' | 'revoked' | 'unbound';

@Entity('shop_connection')
@Index('uq_shop_connection_platform_shop', ['platform', 'shopId'], { unique: true })
@Index('idx_shop_connection_merchant', ['merchantId'])
@Index('idx_shop_connection_status_expiry', ['status', 'accessTokenExpiresAt'])
export class ShopConnectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  /** Kuaishou open_id / Youzan kdt_id. */
  @Column({ name: 'shop_id', type: 'varchar', length: 100 })
  shopId: string;

  @Column({ name: 'shop_name', type: 'varchar', length: 200, nullable: true })
  shopName: string | null;

  @Column({ type: 'varchar', length: 1000 })
  scopes: string;

  @Column({ type: 'varchar', length: 20 })
  status: ConnectionStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  /** AES-256-GCM sealed; never logged, never returned. */
  @Column({ name: 'access_token_enc', type: 'text', nullable: true })
  accessTokenEnc: string | null;

  @Column({ name: 'refresh_token_enc', type: 'text', nullable: true })
  refreshTokenEnc: string | null;

  /** Key that sealed the tokens, so a rotation can find rows still on an old key. */
  @Column({ name: 'token_key_id', type: 'varchar', length: 40, nullable: true })
  tokenKeyId: string | null;

  @Column({ name: 'access_token_expires_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  accessTokenExpiresAt: number | null;

  @Column({ name: 'refresh_token_expires_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  refreshTokenExpiresAt: number | null;

  @Column({ name: 'first_granted_at', type: 'bigint', transformer: bigintNumber })
  firstGrantedAt: number;

  @Column({ name: 'last_refreshed_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastRefreshedAt: number | null;

  /** Set when the grant will end soon and only the merchant can renew it (Kuaishou's 180 days). */
  @Column({ name: 'reauth_due_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  reauthDueAt: number | null;

  @Column({ name: 'failure_count', type: 'int', default: 0 })
  failureCount: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  get scopeList(): string[] {
    return this.scopes ? this.scopes.split(' ').filter(Boolean) : [];
  }
}
