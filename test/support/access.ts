import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { MerchantsService } from '@app/accounts/merchants.service';
import { ApiTokensService } from '@app/auth/api-tokens.service';
import { ErpCredentialsService } from '@app/auth/erp-credentials.service';
import { SESSION_COOKIE, SessionsService } from '@app/auth/sessions.service';
import { UserRole } from '@app/auth/user.entity';
import { UsersService } from '@app/auth/users.service';

/** A user with a signed-in session (cookie + CSRF token) and an API token, made through the real services. */
export interface TestUser {
  userId: string;
  email: string;
  password: string;
  role: UserRole;
  merchantId: string | null;
  /** `Cookie` header value of a signed-in session. */
  cookie: string;
  csrf: string;
  /** `Authorization` header value. */
  bearer: string;
}

export async function createTestUser(
  app: INestApplication,
  role: UserRole,
  merchantId: string | null = null,
): Promise<TestUser> {
  const email = `${role}-${randomBytes(5).toString('hex')}@test.local`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const user = await app.get(UsersService).create({ email, password, role, merchantId });
  const signed = await app.get(SessionsService).signIn(email, password, `test-${randomBytes(4).toString('hex')}`);
  const { token } = await app.get(ApiTokensService).create(user.id, user.merchantId, 'test');
  return {
    userId: user.id,
    email,
    password,
    role,
    merchantId: user.merchantId,
    cookie: `${SESSION_COOKIE}=${signed.cookieValue}`,
    csrf: signed.csrfToken,
    bearer: `Bearer ${token}`,
  };
}

/** A new merchant and its owner. */
export async function createTestMerchant(
  app: INestApplication,
  name = 'Test merchant',
): Promise<{ merchantId: string; owner: TestUser }> {
  const merchant = await app.get(MerchantsService).create(name);
  return { merchantId: merchant.id, owner: await createTestUser(app, 'owner', merchant.id) };
}

export async function createTestErpCredential(
  app: INestApplication,
  merchantId: string,
): Promise<{ keyId: string; secret: string }> {
  const issued = await app.get(ErpCredentialsService).create(merchantId, 'test ERP');
  return { keyId: issued.credential.keyId, secret: issued.secret };
}

/** Headers for a JSON call as `user` with its API token (no cookie, so no CSRF token needed). */
export const asUser = (user: Pick<TestUser, 'bearer'>): Record<string, string> => ({ authorization: user.bearer });

/** Headers for a state-changing call as `user`'s signed-in browser session. */
export const asSession = (user: Pick<TestUser, 'cookie' | 'csrf'>): Record<string, string> => ({
  cookie: user.cookie,
  'x-csrf-token': user.csrf,
});
