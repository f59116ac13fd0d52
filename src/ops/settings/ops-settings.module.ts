import { Global, Module } from '@nestjs/common';
import { OpsSettingsController } from './ops-settings.controller';
import { OpsSettingsPagesController } from './ops-settings-pages.controller';
import { OpsSettingsRepository } from './ops-settings.repository';
import { OpsSettingsService } from './ops-settings.service';

/** Global: retention, sign-in, sessions and failure retries all read these settings. */
@Global()
@Module({
  controllers: [OpsSettingsController, OpsSettingsPagesController],
  providers: [OpsSettingsRepository, OpsSettingsService],
  exports: [OpsSettingsService],
})
export class OpsSettingsModule {}
