import { Module } from '@nestjs/common';
import { OpsSettingsModule } from '../settings/ops-settings.module';
import { OpsSettingsPagesController } from './ops-settings-pages.controller';
import { OpsSettingsController } from './ops-settings.controller';

/** `GET/PUT /ops/settings` and the `/ops-settings` page (a context above auth, whose policies it uses). */
@Module({
  imports: [OpsSettingsModule],
  controllers: [OpsSettingsController, OpsSettingsPagesController],
})
export class OpsSettingsConsoleModule {}
