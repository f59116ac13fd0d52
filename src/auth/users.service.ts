import { Inject, Injectable } from '@nestjs/common';
import { MerchantsService } from '../accounts/merchants.service';
import { CLOCK, Clock } from '../common/clock';
import { isUniqueViolation } from '../common/errors/db-errors';
import { ConflictDomainException, InvalidInputException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { UserNotFoundException } from './auth.errors';
import { hashPassword, verifyPassword } from './password';
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
    private readonly merchants: MerchantsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async create(input: NewUser): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException('PASSWORD_TOO_SHORT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [{ field: 'password', messages: [`at least ${MIN_PASSWORD_LENGTH} characters`] }]);
    }
    if (isOperator(input.role) && input.merchantId) {
      throw new InvalidInputException('OPERATOR_WITH_MERCHANT', 'ops and admin users belong to no merchant', [{ field: 'merchantId', messages: ['must be empty for ops and admin'] }]);
    }
    if (!isOperator(input.role)) {
      if (!input.merchantId) throw new InvalidInputException('MERCHANT_REQUIRED', 'owner and staff users belong to a merchant', [{ field: 'merchantId', messages: ['required for owner and staff'] }]);
      await this.merchants.get(input.merchantId);
    }
    const now = this.clock.now();
    const user = Object.assign(new UserEntity(), {
      id: this.ids.uuid(),
      email,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      merchantId: isOperator(input.role) ? null : input.merchantId!,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.db.transaction(() => this.users.insert(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictDomainException('EMAIL_TAKEN', `a user with the email ${email} exists already`);
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

  /** Other sessions of the user end: a changed password must lock out whoever knew the old one. */
  async changePassword(userId: string, current: string, next: string, keepSessionHash: string | null): Promise<void> {
    const user = await this.get(userId);
    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new InvalidInputException('PASSWORD_WRONG', 'the current password is wrong', [{ field: 'currentPassword', messages: ['wrong password'] }]);
    }
    if (next.length < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException('PASSWORD_TOO_SHORT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [{ field: 'newPassword', messages: [`at least ${MIN_PASSWORD_LENGTH} characters`] }]);
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
