import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Db } from '../database/db';
import { UserEntity, UserRole } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ email });
  }

  listAll(): Promise<UserEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  listByMerchant(merchantId: string): Promise<UserEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  async countOperators(): Promise<number> {
    return this.repo.createQueryBuilder('u').where("u.role IN ('ops', 'admin')").getCount();
  }

  async insert(user: UserEntity): Promise<void> {
    await this.repo.insert(user);
  }

  /** Serializes changes that could leave no active admin (demotions, disabling) by locking the admin rows. */
  async lockActiveAdmins(): Promise<void> {
    await this.db.forUpdate(this.repo.createQueryBuilder('u').where("u.role = 'admin'")).getMany();
  }

  countActiveAdmins(): Promise<number> {
    return this.repo.countBy({ role: 'admin', disabledAt: IsNull() });
  }

  countActiveOwners(merchantId: string): Promise<number> {
    return this.repo.countBy({ merchantId, role: 'owner', disabledAt: IsNull() });
  }

  async updateRole(id: string, role: UserRole, now: number): Promise<void> {
    await this.repo.update({ id }, { role, updatedAt: now });
  }

  async updateDisabled(id: string, disabledAt: number | null, now: number): Promise<void> {
    await this.repo.update({ id }, { disabledAt, updatedAt: now });
  }

  async updatePassword(id: string, passwordHash: string, now: number): Promise<void> {
    await this.repo.update({ id }, { passwordHash, updatedAt: now });
  }
}
