import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiHeader, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ERP_HEADERS } from './erp-signature';
import { ErpCredential } from './policy.decorator';

/**
 * A signed ERP webhook route: the ERP-credential policy (the guard checks the key and the signature
 * before the body is validated), 200 answers, and the signature headers in the API docs.
 */
export const ErpSignedWebhook = () =>
  applyDecorators(
    ErpCredential(),
    HttpCode(200),
    ApiHeader({
      name: ERP_HEADERS.keyId,
      description: "Key id of one of the merchant's ERP credentials: it names the merchant",
    }),
    ApiHeader({ name: ERP_HEADERS.timestamp, description: 'Unix seconds; must be within the tolerance (5 min)' }),
    ApiHeader({
      name: ERP_HEADERS.delivery,
      description: 'Unique id of this delivery (1–100 of A-Z a-z 0-9 ._:-); a repeated id has no second effect',
    }),
    ApiHeader({
      name: ERP_HEADERS.signature,
      description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${delivery id}.${raw body}` with the credential secret>',
    }),
    ApiUnauthorizedResponse({ description: 'Unknown, revoked or expired key; missing, expired or wrong signature.' }),
  );
