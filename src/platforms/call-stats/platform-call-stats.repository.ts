import { Injectable } from '@nestjs/common';
import { LessThan, MoreThanOrEqual } from 'typeorm';
import { Db } from '@app/database/db';
import { CallTally } from '../shared/platform-gateway';
import { PlatformCallStatEntity } from './platform-call-stat.entity';
import { PlatformInstanceStateEntity } from './platform-instance-state.entity';

export interface CallTotals {
  platform: string;
  api: string;
  calls: number;
  errors: number;
}

@Injectable()
export class PlatformCallStatsRepository {
  constructor(private readonly db: Db) {}

  private get stats() {
    return this.db.manager.getRepository(PlatformCallStatEntity);
  }

  private get states() {
    return this.db.manager.getRepository(PlatformInstanceStateEntity);
  }

  /** Adds to the instance's own rows; only that instance writes them, one flush at a time. */
  async add(instance: string, platform: string, rows: CallTally[]): Promise<void> {
    for (const row of rows) {
      const key = { instance, platform, api: row.api, minuteStart: row.minuteStart };
      const updated = await this.stats
        .createQueryBuilder()
        .update()
        .set({ calls: () => `calls + ${row.calls}`, errors: () => `errors + ${row.errors}` })
        .where('instance = :instance AND platform = :platform AND api = :api AND minute_start = :minuteStart', key)
        .execute();
      if (!updated.affected) await this.stats.insert({ ...key, calls: row.calls, errors: row.errors });
    }
  }

  /** Calls and errors per platform API over every instance since `since` (minute buckets starting at or after it). */
  async totalsSince(since: number): Promise<CallTotals[]> {
    const rows = await this.stats
      .createQueryBuilder('s')
      .select('s.platform', 'platform')
      .addSelect('s.api', 'api')
      .addSelect('SUM(s.calls)', 'calls')
      .addSelect('SUM(s.errors)', 'errors')
      .where('s.minute_start >= :since', { since })
      .groupBy('s.platform')
      .addGroupBy('s.api')
      .getRawMany<{ platform: string; api: string; calls: string | number; errors: string | number }>();
    return rows.map((r) => ({ platform: r.platform, api: r.api, calls: Number(r.calls), errors: Number(r.errors) }));
  }

  purgeBefore(cutoff: number): Promise<unknown> {
    return this.stats.delete({ minuteStart: LessThan(cutoff) });
  }

  saveState(state: PlatformInstanceStateEntity): Promise<unknown> {
    return this.states.save(state);
  }

  /** Rows of instances that stopped without saying so (killed) and have not reported since `cutoff`. */
  purgeStatesBefore(cutoff: number): Promise<unknown> {
    return this.states.delete({ reportedAt: LessThan(cutoff) });
  }

  deleteStates(instance: string): Promise<unknown> {
    return this.states.delete({ instance });
  }

  /** Instances that reported since `since`, the longest running first. */
  statesSince(since: number): Promise<PlatformInstanceStateEntity[]> {
    return this.states.find({
      where: { reportedAt: MoreThanOrEqual(since) },
      order: { startedAt: 'ASC', instance: 'ASC' },
    });
  }
}
