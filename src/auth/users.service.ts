import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { isUniqueViolation } from '../common/errors/db-errors';
import { ConflictDomainException, InvalidInputException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { UserNotFoundException } from './auth.errors';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { hashPassword, verifyPassword } from './password';
import { ApiTokensRepository } from './api-tokens.repository';
import { SessionsRepository } from './sessions.repository';
import { isOperator, UserEntity, UserRole } from './user.entity';
import { UsersRepository } from './users.repository';

export const MIN_PASSWORD_LENGTH = 10;

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  merchantId?: string | null;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    @Inject(MERCHANT_DIRECTORY) private readonly merchants: MerchantDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    // Optional so the CLI and the benchmark, which build the service by hand, need not pass it.
    @Optional() tokens?: ApiTokensRepository,
  ) {
    this.tokens = tokens ?? new ApiTokensRepository(db);
  }

  private readonly tokens: ApiTokensRepository;

  async create(input: NewUser): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException(
        'PASSWORD_TOO_SHORT',
        `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
        [{ field: 'password', messages: [`at least ${MIN_PASSWORD_LENGTH} characters`] }],
      );
    }
    if (isOperator(input.role) && input.merchantId) {
      throw new InvalidInputException('OPERATOR_WITH_MERCHANT', 'ops and admin users belong to no merchant', [
        { field: 'merchantId', messages: ['must be empty for ops and admin'] },
      ]);
    }
    if (!isOperator(input.role)) {
      if (!input.merchantId)
        throw new InvalidInputException('MERCHANT_REQUIRED', 'owner and staff users belong to a merchant', [
          { field: 'merchantId', messages: ['required for owner and staff'] },
        ]);
      await this.merchants.get(input.merchantId);
    }
    const now = this.clock.now();
    const user = Object.assign(new UserEntity(), {
      id: this.ids.uuid(),
      email,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      merchantId: isOperator(input.role) ? null : input.merchantId!,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.db.transaction(() => this.users.insert(user));
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictDomainException('EMAIL_TAKEN', `a user with the email ${email} exists already`);
      throw error;
    }
    return user;
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundException(id);
    return user;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  list(): Promise<UserEntity[]> {
    return this.users.listAll();
  }

  listByMerchant(merchantId: string): Promise<UserEntity[]> {
    return this.users.listByMerchant(merchantId);
  }

  /**
   * A disabled user's sessions end and API tokens are revoked in the same transaction, so nothing
   * they hold keeps working; re-enabling lets them sign in again but brings neither back.
   * `scope`: the merchant the caller manages (an owner), or null for an admin (any user).
   */
  async setDisabled(actorId: string, userId: string, disabled: boolean, scope: string | null): Promise<UserEntity> {
    if (disabled && actorId === userId)
      throw new InvalidInputException('CANNOT_DISABLE_SELF', 'you cannot disable yourself', [
        { field: 'userId', messages: ['is you'] },
      ]);
    await this.inScope(userId, scope);
    await this.db.transaction(async () => {
      if (disabled) await this.users.lockActiveAdmins();
      const user = await this.lockedUser(userId);
      const now = this.clock.now();
      if (disabled === (user.disabledAt !== null)) return;
      await this.users.updateDisabled(userId, disabled ? now : null, now);
      if (disabled) {
        await this.sessions.deleteByUserExcept(userId, null);
        await this.tokens.revokeByUser(userId, now);
      }
      if (user.merchantId) await this.keepAnOwner(user.merchantId);
      if (user.role === 'admin') await this.keepAnAdmin();
    });
    return this.get(userId);
  }

  /**
   * owner ↔ staff within one merchant (a merchant always keeps at least one active owner), or, for an
   * admin (`scope` null), ops ↔ admin (the service always keeps at least one active admin). Nobody
   * changes their own role, and a merchant user never becomes an operator nor the other way round.
   */
  async changeRole(actorId: string, userId: string, role: UserRole, scope: string | null): Promise<UserEntity> {
    if (actorId === userId)
      throw new InvalidInputException('CANNOT_CHANGE_OWN_ROLE', 'you cannot change your own role', [
        { field: 'userId', messages: ['is you'] },
      ]);
    const found = await this.inScope(userId, scope);
    if (isOperator(found.role) !== isOperator(role)) {
      const allowed = isOperator(found.role) ? 'ops or admin' : 'owner or staff';
      throw new InvalidInputException('ROLE_KIND', `this user's role can only be ${allowed}`, [
        { field: 'role', messages: [`must be ${allowed} for this user`] },
      ]);
    }
    if (isOperator(found.role)) {
      if (scope !== null) throw new UserNotFoundException(userId);
      await this.db.transaction(async () => {
        await this.users.lockActiveAdmins();
        const user = (await this.users.findById(userId))!;
        if (user.role === role) return;
        await this.users.updateRole(userId, role, this.clock.now());
        await this.keepAnAdmin();
      });
      return this.get(userId);
    }
    await this.db.transaction(async () => {
      const user = await this.lockedUser(userId);
      if (user.role === role) return;
      await this.users.updateRole(userId, role, this.clock.now());
      await this.keepAnOwner(user.merchantId!);
    });
    return this.get(userId);
  }

  /** An admin sets a new password for someone who lost theirs; whoever knew the old one is signed out. */
  async resetPassword(userId: string, password: string): Promise<void> {
    await this.get(userId);
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException(
        'PASSWORD_TOO_SHORT',
        `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
        [{ field: 'password', messages: [`at least ${MIN_PASSWORD_LENGTH} characters`] }],
      );
    }
    const hash = await hashPassword(password);
    await this.db.transaction(async () => {
      await this.users.updatePassword(userId, hash, this.clock.now());
      await this.sessions.deleteByUserExcept(userId, null);
    });
  }

  /** Another merchant's user is "not found" for an owner, so ids of other merchants' users leak nothing. */
  private async inScope(userId: string, scope: string | null): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user || (scope !== null && user.merchantId !== scope)) throw new UserNotFoundException(userId);
    return user;
  }

  private async lockedUser(userId: string): Promise<UserEntity> {
    const user = (await this.users.findById(userId))!;
    if (user.merchantId) await this.merchants.lock(user.merchantId);
    return (await this.users.findById(userId))!;
  }

  private async keepAnOwner(merchantId: string): Promise<void> {
    if ((await this.users.countActiveOwners(merchantId)) === 0) {
      throw new ConflictDomainException(
        'LAST_OWNER',
        'a merchant keeps at least one active owner: make another user owner first',
      );
    }
  }

  /** Two admins demoting or disabling each other at once: the admin rows are locked, so the second sees the first. */
  private async keepAnAdmin(): Promise<void> {
    if ((await this.users.countActiveAdmins()) === 0) {
      throw new ConflictDomainException(
        'LAST_ADMIN',
        'the service keeps at least one active admin: make another user admin first',
      );
    }
  }

  /** Other sessions of the user end: a changed password must lock out whoever knew the old one. */
  async changePassword(userId: string, current: string, next: string, keepSessionHash: string | null): Promise<void> {
    const user = await this.get(userId);
    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new InvalidInputException('PASSWORD_WRONG', 'the current password is wrong', [
        { field: 'currentPassword', messages: ['wrong password'] },
      ]);
    }
    if (next.length < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException(
        'PASSWORD_TOO_SHORT',
        `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
        [{ field: 'newPassword', messages: [`at least ${MIN_PASSWORD_LENGTH} characters`] }],
      );
    }
    const hash = await hashPassword(next);
    await this.db.transaction(async () => {
      await this.users.updatePassword(userId, hash, this.clock.now());
      await this.sessions.deleteByUserExcept(userId, keepSessionHash);
    });
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
