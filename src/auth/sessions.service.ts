import { randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { OpsSettingsService } from '../ops/settings/ops-settings.service';
import { UnauthenticatedException } from './auth.errors';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password';
import { Principal } from './principal';
import { newSecretToken, sha256Hex } from './secret-token';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { SignInLimiter } from './sign-in-limiter';
import { UserEntity } from './user.entity';
import { normalizeEmail } from './users.service';
import { UsersRepository } from './users.repository';

export const SESSION_COOKIE = 'kwaizan_session';
/** Activity is written at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface SignedIn {
  cookieValue: string;
  user: UserEntity;
  csrfToken: string;
}

/** Server-side sessions shared by every instance through the database. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly config: AppConfig,
    private readonly settings: OpsSettingsService,
    private readonly limiter: SignInLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async signIn(emailInput: string, password: string, address: string): Promise<SignedIn> {
    const email = normalizeEmail(emailInput);
    if (!(await this.limiter.tryAttempt(email, address))) {
      const { signInWindowMinutes } = await this.settings.current();
      throw new HttpException(
        { message: `Too many failed sign-ins. Wait ${signInWindowMinutes} minutes and try again.` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    // The attempt was counted before the check; a failure leaves it counted.
    if (!user || !ok) {
      throw new UnauthenticatedException('The email or password is wrong.');
    }
    await this.limiter.recordSuccess(email, address);
    // Said only to someone who knows the password, so it reveals nothing about which accounts exist.
    if (user.disabledAt !== null)
      throw new UnauthenticatedException('This account is disabled; ask your shop owner or an admin.');
    const cookieValue = newSecretToken();
    const now = this.clock.now();
    const session = Object.assign(new SessionEntity(), {
      idHash: sha256Hex(cookieValue),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.config.auth.sessionMaxAgeMs,
    });
    await this.db.transaction(() => this.sessions.insert(session));
    return { cookieValue, user, csrfToken: session.csrfToken };
  }

  /** The principal behind a session cookie, or undefined when it is unknown, idle too long or past its end. */
  async resolve(cookieValue: string): Promise<Extract<Principal, { kind: 'session' }> | undefined> {
    const idHash = sha256Hex(cookieValue);
    const session = await this.sessions.findByHash(idHash);
    if (!session) return undefined;
    const now = this.clock.now();
    const idleMs = (await this.settings.current()).sessionIdleSeconds * 1000;
    if (session.expiresAt <= now || session.lastSeenAt + idleMs <= now) {
      await this.db.transaction(() => this.sessions.delete(idHash));
      return undefined;
    }
    const user = await this.users.findById(session.userId);
    if (!user || user.disabledAt !== null) return undefined;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await this.db.transaction(() => this.sessions.touch(idHash, now));
    return {
      kind: 'session',
      userId: user.id,
      email: user.email,
      role: user.role,
      merchantId: user.merchantId,
      sessionHash: idHash,
      csrfToken: session.csrfToken,
    };
  }

  async signOut(sessionHash: string): Promise<void> {
    await this.db.transaction(() => this.sessions.delete(sessionHash));
  }

  async purgeExpired(): Promise<void> {
    const idleMs = (await this.settings.current()).sessionIdleSeconds * 1000;
    await this.db.transaction(() => this.sessions.purgeExpired(this.clock.now(), idleMs));
  }

  cookieOptions(): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/'; maxAge: number } {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.auth.secureCookies,
      path: '/',
      maxAge: this.config.auth.sessionMaxAgeMs,
    };
  }
}
