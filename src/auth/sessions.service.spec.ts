import { HttpException } from '@nestjs/common';
import type { Mocked } from '@suites/unit';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { unitConfig } from '@test/support/unit/unit-config';
import { Db } from '@app/database/db';
import { opsSettingDefaults } from '@app/ops/settings/ops-settings.definitions';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { SignInLimiter } from './sign-in-limiter';
import { hashPassword } from './password';
import { sha256Hex } from './secret-token';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersRepository } from './users.repository';

const PASSWORD = 'correct horse battery';

// Each sign-in runs scrypt for real; on a loaded 2-core machine a few of them outlast jest's 5 s default.
jest.setTimeout(60_000);

/** The answer a sign-in gets: 200, 401 (password checked and wrong), 429 (refused unchecked). */
const statusOf = (signIn: Promise<unknown>): Promise<number> =>
  signIn.then(
    () => 200,
    (e: unknown) => {
      if (e instanceof HttpException) return e.getStatus();
      return (e as { code?: string }).code === 'UNAUTHENTICATED' ? 401 : 0;
    },
  );

describe(SessionsService.name, () => {
  let passwordHash: string;
  let t: TestService<SessionsService>;
  let sessions: Mocked<SessionsRepository>;
  let users: Mocked<UsersRepository>;

  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
  });

  beforeEach(async () => {
    const config = unitConfig();
    const settings = { current: async () => opsSettingDefaults(config) } as unknown as OpsSettingsService;
    // The real limiter, counting in memory (as on the embedded database).
    const limiter = new SignInLimiter({ isMysql: false } as unknown as Db, settings);
    t = await newTestService(SessionsService, { config, provide: [[SignInLimiter, limiter]] });
    sessions = t.mocks.get(SessionsRepository);
    users = t.mocks.get(UsersRepository);
    const user = factory.user({ passwordHash });
    users.findByEmail.mockImplementation(async (email) => (email === user.email ? user : null));
    users.findById.mockImplementation(async (id) => (id === user.id ? user : null));
  });

  describe('signIn', () => {
    it('opens a session for the right password, keyed by the hash of the cookie it hands out', async () => {
      const signed = await t.sut.signIn('  Owner@Shop.TEST ', PASSWORD, '10.0.0.1');
      const inserted = sessions.insert.mock.calls[0][0];
      expect(inserted).toMatchObject({
        idHash: sha256Hex(signed.cookieValue),
        userId: 'user-1',
        createdAt: T0,
        expiresAt: T0 + t.config.auth.sessionMaxAgeMs,
      });
      expect(signed.csrfToken).toBe(inserted.csrfToken);
      expect(users.findByEmail).toHaveBeenCalledWith('owner@shop.test');
    });

    it('refuses a wrong password and an unknown email alike, opening nothing', async () => {
      await expect(t.sut.signIn('owner@shop.test', 'wrong password', 'a')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The email or password is wrong.',
      });
      await expect(t.sut.signIn('nobody@shop.test', PASSWORD, 'a')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The email or password is wrong.',
      });
      expect(sessions.insert).not.toHaveBeenCalled();
    });

    it('tells a disabled user with the right password that the account is disabled', async () => {
      users.findByEmail.mockResolvedValue(factory.user({ passwordHash, disabledAt: T0 }));
      await expect(t.sut.signIn('owner@shop.test', PASSWORD, 'a')).rejects.toMatchObject({
        message: expect.stringContaining('disabled'),
      });
      expect(sessions.insert).not.toHaveBeenCalled();
    });

    it('locks the account out from that address after too many failures, even for the right password', async () => {
      for (let i = 0; i < t.config.auth.signInMaxAttempts; i++) {
        await expect(t.sut.signIn('owner@shop.test', 'wrong password', 'a')).rejects.toMatchObject({
          code: 'UNAUTHENTICATED',
        });
      }
      const locked = await t.sut.signIn('owner@shop.test', PASSWORD, 'a').catch((e: unknown) => e);
      expect(locked).toBeInstanceOf(HttpException);
      expect((locked as HttpException).getStatus()).toBe(429);
      // Another address is not locked out by these failures.
      await expect(t.sut.signIn('owner@shop.test', PASSWORD, 'b')).resolves.toMatchObject({ user: { id: 'user-1' } });
    });

    it('checks no more passwords than the limit when many wrong ones arrive at once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => statusOf(t.sut.signIn('owner@shop.test', `wrong ${i}`, 'a'))),
      );
      expect(answers.filter((s) => s === 401).length).toBeLessThanOrEqual(t.config.auth.signInMaxAttempts);
      expect(answers.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    }, 60_000);

    it('refuses an address spraying many accounts; a right password there does not count against it', async () => {
      const addressLimit = t.config.auth.signInMaxAttempts * 10;
      const status = (email: string, password: string, address: string) =>
        statusOf(t.sut.signIn(email, password, address));
      for (let i = 0; i < addressLimit - 1; i++) expect(await status(`nobody-${i}@shop.test`, 'x', 'spray')).toBe(401);
      expect(await status('owner@shop.test', PASSWORD, 'spray')).toBe(200);
      expect(await status('last@shop.test', 'x', 'spray')).toBe(401);
      expect(await status('owner@shop.test', PASSWORD, 'spray')).toBe(429);
      expect(await status('owner@shop.test', PASSWORD, 'elsewhere')).toBe(200);
    }, 60_000);

    it('forgets earlier failures after a successful sign-in', async () => {
      for (let i = 0; i < t.config.auth.signInMaxAttempts - 1; i++) {
        await t.sut.signIn('owner@shop.test', 'wrong password', 'a').catch(() => undefined);
      }
      await t.sut.signIn('owner@shop.test', PASSWORD, 'a');
      await t.sut.signIn('owner@shop.test', 'wrong password', 'a').catch(() => undefined);
      await expect(t.sut.signIn('owner@shop.test', PASSWORD, 'a')).resolves.toBeDefined();
    });
  });

  describe('resolve', () => {
    const session = (overrides: Partial<SessionEntity> = {}) =>
      factory.session({ idHash: sha256Hex('cookie'), ...overrides });

    it('answers the principal of a live session', async () => {
      sessions.findByHash.mockResolvedValue(session());
      expect(await t.sut.resolve('cookie')).toEqual({
        kind: 'session',
        userId: 'user-1',
        email: 'owner@shop.test',
        role: 'owner',
        merchantId: 'merchant-1',
        sessionHash: sha256Hex('cookie'),
        csrfToken: 'csrf-token',
      });
    });

    it('answers nothing for an unknown cookie', async () => {
      sessions.findByHash.mockResolvedValue(null);
      expect(await t.sut.resolve('cookie')).toBeUndefined();
    });

    it('ends a session past its absolute end, however active', async () => {
      t.clock.set(T0 + 10_000);
      sessions.findByHash.mockResolvedValue(session({ expiresAt: T0 + 10_000, lastSeenAt: T0 + 9_999 }));
      expect(await t.sut.resolve('cookie')).toBeUndefined();
      expect(sessions.delete).toHaveBeenCalledWith(sha256Hex('cookie'));
    });

    it('ends a session idle for the idle timeout, and keeps one idle a moment less', async () => {
      sessions.findByHash.mockResolvedValue(session({ lastSeenAt: T0 }));
      t.clock.set(T0 + t.config.auth.sessionIdleMs - 1);
      expect(await t.sut.resolve('cookie')).toBeDefined();
      t.clock.set(T0 + t.config.auth.sessionIdleMs);
      expect(await t.sut.resolve('cookie')).toBeUndefined();
      expect(sessions.delete).toHaveBeenCalledTimes(1);
    });

    it('answers nothing for a disabled user', async () => {
      sessions.findByHash.mockResolvedValue(session());
      users.findById.mockResolvedValue(factory.user({ disabledAt: T0 }));
      expect(await t.sut.resolve('cookie')).toBeUndefined();
    });

    it('writes activity at most once a minute', async () => {
      sessions.findByHash.mockResolvedValue(session({ lastSeenAt: T0 }));
      t.clock.set(T0 + 59_999);
      await t.sut.resolve('cookie');
      expect(sessions.touch).not.toHaveBeenCalled();
      t.clock.set(T0 + 60_000);
      await t.sut.resolve('cookie');
      expect(sessions.touch).toHaveBeenCalledWith(sha256Hex('cookie'), T0 + 60_000);
    });
  });
});
