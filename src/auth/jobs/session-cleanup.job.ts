import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { SessionsService } from '../sessions.service';

@Injectable()
export class SessionCleanupJob {
  constructor(private readonly sessions: SessionsService) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'session-cleanup' })
  async purge(): Promise<void> {
    await this.sessions.purgeExpired();
  }
}
