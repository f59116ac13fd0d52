import type { Mocked } from '@suites/unit';
import { NotFoundDomainException } from '@app/common/errors/domain.exception';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ApiTokensRepository } from './api-tokens.repository';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { hashPassword, verifyPassword } from './password';
import { SessionsRepository } from './sessions.repository';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { NewUser, UsersService } from './users.service';

const PASSWORD = 'long enough password';

describe(UsersService.name, () => {
  let t: TestService<UsersService>;
  let users: Mocked<UsersRepository>;
  let sessions: Mocked<SessionsRepository>;
  let tokens: Mocked<ApiTokensRepository>;
  let merchants: Mocked<MerchantDirectory>;
  let rows: Map<string, UserEntity>;

  beforeEach(async () => {
    t = await newTestService(UsersService);
    users = t.mocks.get(UsersRepository);
    sessions = t.mocks.get(SessionsRepository);
    tokens = t.mocks.get(ApiTokensRepository);
    merchants = t.mocks.get<MerchantDirectory>(MERCHANT_DIRECTORY);
    rows = new Map();
    users.findById.mockImplementation(async (id) => rows.get(id) ?? null);
    users.updateDisabled.mockImplementation(
      async (id, disabledAt) => void Object.assign(rows.get(id)!, { disabledAt }),
    );
    users.updateRole.mockImplementation(async (id, role) => void Object.assign(rows.get(id)!, { role }));
    users.countActiveAdmins.mockImplementation(
      async () => [...rows.values()].filter((u) => u.role === 'admin' && u.disabledAt === null).length,
    );
    users.countActiveOwners.mockImplementation(
      async (m) =>
        [...rows.values()].filter((u) => u.merchantId === m && u.role === 'owner' && u.disabledAt === null).length,
    );
  });

  const seed = (overrides: Partial<UserEntity>) => {
    const user = factory.user(overrides);
    rows.set(user.id, user);
    return user;
  };

  describe('create', () => {
    const create = (overrides: Partial<NewUser>) =>
      t.sut.create({
        email: 'Staff@Shop.test ',
        password: PASSWORD,
        role: 'staff',
        merchantId: 'merchant-1',
        ...overrides,
      });

    it('stores a merchant user with a normalized email and a hashed password', async () => {
      const user = await create({});
      expect(user).toMatchObject({
        id: 'id-1',
        email: 'staff@shop.test',
        role: 'staff',
        merchantId: 'merchant-1',
        disabledAt: null,
        createdAt: T0,
      });
      expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
      expect(users.insert).toHaveBeenCalledWith(user);
    });

    it('refuses a short password, naming the field', async () => {
      await expect(create({ password: 'x'.repeat(9) })).rejects.toMatchObject({
        code: 'PASSWORD_TOO_SHORT',
        kind: 'invalid',
        fields: [{ field: 'password' }],
      });
      expect(users.insert).not.toHaveBeenCalled();
    });

    it.each(['ops', 'admin'] as const)('keeps %s users out of merchants', async (role) => {
      await expect(create({ role })).rejects.toMatchObject({
        code: 'OPERATOR_WITH_MERCHANT',
        fields: [{ field: 'merchantId' }],
      });
      expect((await create({ role, merchantId: null })).merchantId).toBeNull();
      expect(merchants.get).not.toHaveBeenCalled();
    });

    it.each(['owner', 'staff'] as const)('requires an existing merchant for %s users', async (role) => {
      await expect(create({ role, merchantId: null })).rejects.toMatchObject({ code: 'MERCHANT_REQUIRED' });
      merchants.get.mockRejectedValueOnce(new NotFoundDomainException('MERCHANT_NOT_FOUND', 'no merchant'));
      await expect(create({ role, merchantId: 'ghost' })).rejects.toMatchObject({ code: 'MERCHANT_NOT_FOUND' });
      expect(users.insert).not.toHaveBeenCalled();
    });

    it('answers EMAIL_TAKEN when the database already has the email', async () => {
      users.insert.mockRejectedValue(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }));
      await expect(create({})).rejects.toMatchObject({ code: 'EMAIL_TAKEN', kind: 'conflict' });
    });

    it('passes on other database errors', async () => {
      users.insert.mockRejectedValue(new Error('connection lost'));
      await expect(create({})).rejects.toThrow('connection lost');
    });
  });

  describe('setDisabled', () => {
    beforeEach(() => {
      seed({ id: 'owner-1', role: 'owner' });
      seed({ id: 'staff-1', role: 'staff' });
    });

    it('disables a user, ends their sessions and revokes their API tokens', async () => {
      const user = await t.sut.setDisabled('owner-1', 'staff-1', true, 'merchant-1');
      expect(user.disabledAt).toBe(T0);
      expect(sessions.deleteByUserExcept).toHaveBeenCalledWith('staff-1', null);
      expect(tokens.revokeByUser).toHaveBeenCalledWith('staff-1', T0);
    });

    it('re-enables a user without touching sessions or tokens', async () => {
      rows.get('staff-1')!.disabledAt = T0 - 1;
      expect((await t.sut.setDisabled('owner-1', 'staff-1', false, 'merchant-1')).disabledAt).toBeNull();
      expect(sessions.deleteByUserExcept).not.toHaveBeenCalled();
      expect(tokens.revokeByUser).not.toHaveBeenCalled();
    });

    it('writes nothing when the user is already in that state', async () => {
      rows.get('staff-1')!.disabledAt = T0 - 1;
      await t.sut.setDisabled('owner-1', 'staff-1', true, 'merchant-1');
      expect(users.updateDisabled).not.toHaveBeenCalled();
    });

    it('refuses to disable yourself', async () => {
      await expect(t.sut.setDisabled('owner-1', 'owner-1', true, 'merchant-1')).rejects.toMatchObject({
        code: 'CANNOT_DISABLE_SELF',
      });
      expect(users.updateDisabled).not.toHaveBeenCalled();
    });

    it('answers not found for another merchant’s user, and lets an admin (no scope) reach any user', async () => {
      seed({ id: 'other-owner', merchantId: 'merchant-2', role: 'owner' });
      seed({ id: 'other-1', merchantId: 'merchant-2', role: 'staff' });
      await expect(t.sut.setDisabled('owner-1', 'other-1', true, 'merchant-1')).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      expect(rows.get('other-1')!.disabledAt).toBeNull();
      await expect(t.sut.setDisabled('admin-1', 'other-1', true, null)).resolves.toMatchObject({ disabledAt: T0 });
    });

    it('refuses to disable the last active owner of a merchant', async () => {
      await expect(t.sut.setDisabled('admin-1', 'owner-1', true, null)).rejects.toMatchObject({
        code: 'LAST_OWNER',
        kind: 'conflict',
      });
      expect(merchants.lock).toHaveBeenCalledWith('merchant-1');
    });
  });

  describe('changeRole', () => {
    it('makes staff an owner, and lets an owner step down once another owner exists', async () => {
      seed({ id: 'owner-1', role: 'owner' });
      seed({ id: 'staff-1', role: 'staff' });
      expect((await t.sut.changeRole('owner-1', 'staff-1', 'owner', 'merchant-1')).role).toBe('owner');
      expect((await t.sut.changeRole('staff-1', 'owner-1', 'staff', 'merchant-1')).role).toBe('staff');
    });

    it('refuses to demote the last owner', async () => {
      seed({ id: 'owner-1', role: 'owner' });
      await expect(t.sut.changeRole('admin-1', 'owner-1', 'staff', 'merchant-1')).rejects.toMatchObject({
        code: 'LAST_OWNER',
      });
    });

    it('refuses a change of one’s own role', async () => {
      seed({ id: 'owner-1', role: 'owner' });
      seed({ id: 'owner-2', role: 'owner' });
      await expect(t.sut.changeRole('owner-1', 'owner-1', 'staff', 'merchant-1')).rejects.toMatchObject({
        code: 'CANNOT_CHANGE_OWN_ROLE',
      });
      expect(users.updateRole).not.toHaveBeenCalled();
    });

    it('never turns an operator into a merchant user', async () => {
      seed({ id: 'ops-1', role: 'ops', merchantId: null });
      await expect(t.sut.changeRole('admin-1', 'ops-1', 'owner', null)).rejects.toMatchObject({ code: 'ROLE_KIND' });
      expect(users.updateRole).not.toHaveBeenCalled();
    });

    it('lets an admin make ops an admin and back, but keeps one active admin', async () => {
      seed({ id: 'admin-1', role: 'admin', merchantId: null });
      seed({ id: 'ops-1', role: 'ops', merchantId: null });
      expect((await t.sut.changeRole('admin-1', 'ops-1', 'admin', null)).role).toBe('admin');
      expect((await t.sut.changeRole('ops-1', 'admin-1', 'ops', null)).role).toBe('ops');
      await expect(t.sut.changeRole('admin-1', 'ops-1', 'ops', null)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    });

    it('writes nothing when the role is unchanged', async () => {
      seed({ id: 'owner-1', role: 'owner' });
      await t.sut.changeRole('admin-1', 'owner-1', 'owner', 'merchant-1');
      expect(users.updateRole).not.toHaveBeenCalled();
    });
  });

  describe('passwords', () => {
    beforeEach(async () => {
      seed({ id: 'owner-1', passwordHash: await hashPassword(PASSWORD) });
    });

    it('changes the password after checking the current one, and keeps only the caller’s session', async () => {
      await t.sut.changePassword('owner-1', PASSWORD, 'another long password', 'my-session');
      expect(await verifyPassword('another long password', users.updatePassword.mock.calls[0][1])).toBe(true);
      expect(sessions.deleteByUserExcept).toHaveBeenCalledWith('owner-1', 'my-session');
    });

    it('refuses a wrong current password and a short new one', async () => {
      await expect(
        t.sut.changePassword('owner-1', 'wrong password!', 'another long password', null),
      ).rejects.toMatchObject({ code: 'PASSWORD_WRONG', fields: [{ field: 'currentPassword' }] });
      await expect(t.sut.changePassword('owner-1', PASSWORD, 'short', null)).rejects.toMatchObject({
        code: 'PASSWORD_TOO_SHORT',
        fields: [{ field: 'newPassword' }],
      });
      expect(users.updatePassword).not.toHaveBeenCalled();
    });

    it('an admin reset signs out every session of the user', async () => {
      await t.sut.resetPassword('owner-1', 'a brand new password');
      expect(sessions.deleteByUserExcept).toHaveBeenCalledWith('owner-1', null);
      await expect(t.sut.resetPassword('ghost', 'a brand new password')).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
    });
  });
});
