import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { OpsSettingsModule } from '../ops/settings/ops-settings.module';
import { AccessController } from './access.controller';
import { AccessPagesController } from './access-pages.controller';
import { AccessGuard } from './access.guard';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { ErpCredentialsRepository } from './erp-credentials.repository';
import { ErpCredentialsService } from './erp-credentials.service';
import { SessionCleanupJob } from './jobs/session-cleanup.job';
import { MERCHANT_DIRECTORY, MerchantDirectoryBinding } from './merchant-directory.port';
import { OpsLandingPageController } from './ops-landing-page.controller';
import { UsersPagesController } from './users-pages.controller';
import { SandboxAccessSeeder } from './sandbox-access.seeder';
import { SessionController } from './session.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SignInLimiter } from './sign-in-limiter';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [OpsSettingsModule],
  controllers: [
    SessionController,
    AccessController,
    AccessPagesController,
    UsersPagesController,
    OpsLandingPageController,
  ],
  providers: [
    UsersRepository,
    SessionsRepository,
    ApiTokensRepository,
    ErpCredentialsRepository,
    UsersService,
    SessionsService,
    SignInLimiter,
    ApiTokensService,
    ErpCredentialsService,
    SandboxAccessSeeder,
    SessionCleanupJob,
    MerchantDirectoryBinding,
    { provide: MERCHANT_DIRECTORY, useExisting: MerchantDirectoryBinding },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, SessionsService, ApiTokensService, ErpCredentialsService, MerchantDirectoryBinding],
})
export class AuthModule {}
