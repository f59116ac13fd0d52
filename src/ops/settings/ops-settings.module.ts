import { Module } from '@nestjs/common';
import { OpsSettingsRepository } from './ops-settings.repository';
import { OpsSettingsService } from './ops-settings.service';

/**
 * The settings an admin tunes at run time (retention, sign-in, sessions, failure retries): imported
 * by each context that reads them. The API and the page are `OpsSettingsConsoleModule`.
 */
@Module({
  providers: [OpsSettingsRepository, OpsSettingsService],
  exports: [OpsSettingsService],
})
export class OpsSettingsModule {}
