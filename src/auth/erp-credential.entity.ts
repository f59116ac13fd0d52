import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * A merchant's ERP signing key. The secret is sealed (AES-GCM), not hashed: verifying an HMAC
 * needs it. Several may be active at once so an ERP can rotate without downtime.
 */
@Entity('erp_credential')
@Index('idx_erp_credential_merchant', ['merchantId'])
export class ErpCredentialEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 40 })
  keyId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  /** Set when a rotation replaces it: it keeps working until then. */
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  expiresAt: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  revokedAt: number | null;
}
