import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { SessionsService } from '../sessions.service';

@Injectable()
export class SessionCleanupJob {
  constructor(private readonly sessions: SessionsService) {}

  @ScheduledJob('session-cleanup', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async purge(): Promise<void> {
    await this.sessions.purgeExpired();
  }
}
