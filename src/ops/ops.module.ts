import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts/accounts.module';
import { CatalogModule } from '@app/catalog/catalog.module';
import { InventoryModule } from '@app/inventory/inventory.module';
import { OrdersModule } from '@app/orders/orders.module';
import { PlatformsModule } from '@app/platforms/platforms.module';
import { PricingModule } from '@app/pricing/pricing.module';
import { PromotionsModule } from '@app/promotions/promotions.module';
import { OutboundWebhooksModule } from '@app/webhooks/outbound/outbound-webhooks.module';
import { FailureAlertsModule } from './alerts/failure-alerts.module';
import { PlatformHealthQuery } from './console/platform-health.service';
import { OpsConsolePagesController, OpsHomeRedirectController } from './console/ops-console-pages.controller';
import { FailureRetryConsumer } from './consumers/failure-retry.consumer';
import { SyncFailuresModule } from './failures/sync-failures.module';
import { OpsSettingsModule } from './settings/ops-settings.module';
import { FailureRetryJob } from './jobs/failure-retry.job';
import { AlertCheckJob } from './jobs/alert-check.job';
import { RetentionJob } from './retention/retention.job';
import { RetentionModule } from './retention/retention.module';
import { SyncFailuresController } from './sync-failures.controller';

@Module({
  imports: [
    SyncFailuresModule,
    OpsSettingsModule,
    RetentionModule,
    FailureAlertsModule,
    PlatformsModule,
    AccountsModule,
    CatalogModule,
    InventoryModule,
    OrdersModule,
    PricingModule,
    PromotionsModule,
    OutboundWebhooksModule,
  ],
  controllers: [SyncFailuresController, OpsConsolePagesController, OpsHomeRedirectController],
  providers: [FailureRetryJob, AlertCheckJob, FailureRetryConsumer, RetentionJob, PlatformHealthQuery],
})
export class OpsModule {}
