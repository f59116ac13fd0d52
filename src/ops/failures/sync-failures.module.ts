import { Module } from '@nestjs/common';
import { OpsSettingsModule } from '../settings/ops-settings.module';
import { SyncFailureRepository } from './sync-failure.repository';
import { SyncFailureService } from './sync-failure.service';

@Module({
  imports: [OpsSettingsModule],
  providers: [SyncFailureRepository, SyncFailureService],
  exports: [SyncFailureService],
})
export class SyncFailuresModule {}
