import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { OpsSettingsModule } from '../ops/settings/ops-settings.module';
import { ConsumerRegistry } from './consumer/consumer.registry';
import { EVENT_BUS, EventBus } from './event-bus.port';
import { InboxRepository } from './inbox/inbox.repository';
import { InProcessEventBus } from './in-process/in-process.event-bus';
import { MessagingCleanupJob } from './jobs/messaging-cleanup.job';
import { KafkaEventBus } from './kafka/kafka.event-bus';
import { MessagingLifecycle } from './messaging.lifecycle';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxService } from './outbox/outbox.service';

function createBus(config: AppConfig): EventBus {
  return config.kafka ? new KafkaEventBus(config.kafka) : new InProcessEventBus();
}

@Global()
@Module({
  imports: [SyncFailuresModule, OpsSettingsModule],
  providers: [
    { provide: EVENT_BUS, inject: [AppConfig], useFactory: createBus },
    OutboxRepository,
    OutboxRelay,
    OutboxService,
    InboxRepository,
    ConsumerRegistry,
    MessagingLifecycle,
    MessagingCleanupJob,
  ],
  exports: [EVENT_BUS, OutboxService, OutboxRelay, ConsumerRegistry],
})
export class MessagingModule {}
