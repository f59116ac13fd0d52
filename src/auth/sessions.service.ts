import { randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { UnauthenticatedException } from './auth.errors';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password';
import { Principal } from './principal';
import { newSecretToken, sha256Hex } from './secret-token';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
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
  // Per instance: a limit per account and address, and a looser one per address (spraying many accounts).
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(
    private readonly db: Db,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'sign-in', points: config.auth.signInMaxAttempts, duration: 15 * 60 });
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'sign-in-ip', points: config.auth.signInMaxAttempts * 10, duration: 15 * 60 });
  }

  async signIn(emailInput: string, password: string, address: string): Promise<SignedIn> {
    const email = normalizeEmail(emailInput);
    const accountKey = `${email}|${address}`;
    const [account, origin] = await Promise.all([this.perAccount.get(accountKey), this.perAddress.get(address)]);
    if ((account && account.remainingPoints <= 0) || (origin && origin.remainingPoints <= 0)) {
      throw new HttpException({ message: 'Too many failed sign-ins. Wait 15 minutes and try again.' }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      await Promise.all([this.perAccount.penalty(accountKey, 1), this.perAddress.penalty(address, 1)]);
      throw new UnauthenticatedException('The email or password is wrong.');
    }
    await this.perAccount.delete(accountKey);
    // Said only to someone who knows the password, so it reveals nothing about which accounts exist.
    if (user.disabledAt !== null) throw new UnauthenticatedException('This account is disabled; ask your shop owner or an admin.');
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
    if (session.expiresAt <= now || session.lastSeenAt + this.config.auth.sessionIdleMs <= now) {
      await this.db.transaction(() => this.sessions.delete(idHash));
      return undefined;
    }
    const user = await this.users.findById(session.userId);
    if (!user || user.disabledAt !== null) return undefined;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await this.db.transaction(() => this.sessions.touch(idHash, now));
    return { kind: 'session', userId: user.id, email: user.email, role: user.role, merchantId: user.merchantId, sessionHash: idHash, csrfToken: session.csrfToken };
  }

  async signOut(sessionHash: string): Promise<void> {
    await this.db.transaction(() => this.sessions.delete(sessionHash));
  }

  async purgeExpired(): Promise<void> {
    await this.db.transaction(() => this.sessions.purgeExpired(this.clock.now(), this.config.auth.sessionIdleMs));
  }

  cookieOptions(): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/'; maxAge: number } {
    return { httpOnly: true, sameSite: 'lax', secure: this.config.auth.secureCookies, path: '/', maxAge: this.config.auth.sessionMaxAgeMs };
  }
}
