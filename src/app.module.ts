import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { CommonModule } from './common/common.module';
import { loggerParams } from './common/http/logging';
import { AppConfigShape } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { MessagingModule } from './messaging/messaging.module';
import { SyncFailuresModule } from './ops/failures/sync-failures.module';
import { HealthModule } from './ops/health/health.module';
import { MetricsModule } from './ops/metrics/metrics.module';
import { OpsModule } from './ops/ops.module';
import { OpsSettingsConsoleModule } from './ops/settings-console/ops-settings-console.module';
import { AccountsModule } from './accounts/accounts.module';
import { PlatformsModule } from './platforms/platforms.module';
import { CatalogModule } from './catalog/catalog.module';
import { InventoryModule } from './inventory/inventory.module';
import { PricingModule } from './pricing/pricing.module';
import { OrdersModule } from './orders/orders.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { SandboxModule } from './sandbox/sandbox.module';
import { AuthModule } from './auth/auth.module';
import { PromotionsModule } from './promotions/promotions.module';
import { FulfilmentModule } from './fulfilment/fulfilment.module';

export interface AppModuleOptions {
  /** Scheduled jobs (cron/intervals); tests that drive jobs by hand turn them off. */
  schedule?: boolean;
  /** Extra modules (tests). */
  extraModules?: Type[];
}

/** Feature contexts, in dependency order. */
const FEATURE_MODULES: Type[] = [
  SandboxModule,
  PlatformsModule,
  AccountsModule,
  AuthModule,
  CatalogModule,
  InventoryModule,
  PricingModule,
  OrdersModule,
  PromotionsModule,
  WebhooksModule,
  OpsModule,
  OpsSettingsConsoleModule,
  FulfilmentModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfigShape, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        LoggerModule.forRoot(loggerParams(config)),
        ...(options.schedule === false ? [] : [ScheduleModule.forRoot()]),
        CommonModule,
        DatabaseModule,
        MetricsModule,
        SyncFailuresModule,
        MessagingModule,
        HealthModule,
        ...FEATURE_MODULES,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
