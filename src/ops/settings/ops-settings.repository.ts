import { Injectable } from '@nestjs/common';
import { Db } from '@app/database/db';
import { OpsSettingChangeEntity } from './ops-setting-change.entity';
import { OpsSettingEntity } from './ops-setting.entity';

@Injectable()
export class OpsSettingsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(OpsSettingEntity);
  }

  listOverrides(): Promise<OpsSettingEntity[]> {
    return this.repo.find();
  }

  /** Serializes concurrent changes of one setting, so each audit row's old value is the one it replaced. */
  lockOverride(name: string): Promise<OpsSettingEntity | null> {
    return this.db.forUpdate(this.repo.createQueryBuilder('s').where('s.name = :name', { name })).getOne();
  }

  async saveOverride(row: OpsSettingEntity): Promise<void> {
    await this.repo.save(row);
  }

  async deleteOverride(name: string): Promise<void> {
    await this.repo.delete({ name });
  }

  async insertChange(change: Omit<OpsSettingChangeEntity, 'id'>): Promise<void> {
    await this.db.manager.getRepository(OpsSettingChangeEntity).insert(change);
  }

  recentChanges(limit: number): Promise<OpsSettingChangeEntity[]> {
    return this.db.manager
      .getRepository(OpsSettingChangeEntity)
      .find({ order: { changedAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
