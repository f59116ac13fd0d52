import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTokenEntity } from '../api-token.entity';
import { ErpCredentialEntity } from '../erp-credential.entity';
import { UserEntity } from '../user.entity';

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['owner', 'staff', 'ops', 'admin'] }) role: string;
  @ApiPropertyOptional({ nullable: true }) merchantId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When the user was disabled; null while active' }) disabledAt:
    number | null;

  static of(u: UserEntity): UserView {
    return { id: u.id, email: u.email, role: u.role, merchantId: u.merchantId, disabledAt: u.disabledAt };
  }
}

export class SessionView {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ description: 'Send as x-csrf-token with every state-changing request made with the session cookie' })
  csrfToken: string;
}

export class ErpCredentialView {
  @ApiProperty() keyId: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: number;
  @ApiPropertyOptional({ nullable: true, description: 'Set after a rotation: the key stops working then' }) expiresAt:
    number | null;
  @ApiPropertyOptional({ nullable: true }) revokedAt: number | null;

  static of(c: ErpCredentialEntity): ErpCredentialView {
    return { keyId: c.keyId, name: c.name, createdAt: c.createdAt, expiresAt: c.expiresAt, revokedAt: c.revokedAt };
  }
}

export class IssuedErpCredentialView extends ErpCredentialView {
  @ApiProperty({ description: 'Shown once: give it to the ERP together with the key id' }) secret: string;
}

export class ApiTokenView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: number;
  @ApiPropertyOptional({ nullable: true }) revokedAt: number | null;

  static of(t: ApiTokenEntity): ApiTokenView {
    return { id: t.id, name: t.name, createdAt: t.createdAt, revokedAt: t.revokedAt };
  }
}

export class IssuedApiTokenView extends ApiTokenView {
  @ApiProperty({ description: 'Shown once: send as Authorization: Bearer <token>' }) token: string;
}
