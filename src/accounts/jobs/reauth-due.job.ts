import { Inject, Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { ConnectionsService } from '../connections.service';
import { ShopConnectionRepository } from '../shop-connection.repository';

/** Kuaishou's refresh token never outlives 180 days from the grant: warn a week ahead. */
export const REAUTH_WARNING_MS = 7 * 86_400_000;

@Injectable()
export class ReauthDueJob {
  constructor(
    private readonly repo: ShopConnectionRepository,
    private readonly connections: ConnectionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('reauth-due', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async flagEndingGrants(): Promise<number> {
    const ending = await this.repo.grantEndingBefore(this.clock.now() + REAUTH_WARNING_MS, 500);
    for (const c of ending) await this.connections.flagReauthDue(c.id, c.refreshTokenExpiresAt!);
    return ending.length;
  }
}
