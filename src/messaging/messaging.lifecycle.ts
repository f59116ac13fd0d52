import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ConsumerRegistry } from './consumer/consumer.registry';
import { EVENT_BUS, EventBus } from './event-bus.port';
import { OutboxRelay } from './outbox/outbox.relay';

/** Starts the bus after every module registered its consumers, then the relay; stops in reverse. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly relay: OutboxRelay,
    private readonly consumers: ConsumerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
    this.relay.start();
    this.logger.log(
      this.bus.kind === 'kafka'
        ? 'events go through Kafka'
        : 'events are delivered in-process from the outbox (no KAFKA_BROKERS)',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.consumers.stop();
    await this.relay.stop();
    await this.bus.stop();
  }
}
