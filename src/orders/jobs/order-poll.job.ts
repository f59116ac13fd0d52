import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@app/config/app-config';
import { ConnectionsService } from '@app/accounts/connections.service';
import { Db } from '@app/database/db';
import { orderPollRequestedTopic } from '@app/messaging/contracts/order-poll-requested/order-poll-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';

/** Every ORDER_POLL_INTERVAL_MS, one poll per active shop connection. */
@Injectable()
export class OrderPollJob implements OnModuleInit {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    private readonly config: AppConfig,
    @Optional() private readonly scheduler?: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    // Absent when jobs are off (tests drive them by hand).
    const logger = new Logger(OrderPollJob.name);
    this.scheduler?.addInterval(
      'order-poll',
      setInterval(
        () => void this.enqueue().catch((e: Error) => logger.error(`enqueueing order polls failed: ${e.message}`)),
        this.config.orders.pollIntervalMs,
      ),
    );
  }

  async enqueue(): Promise<number> {
    // Stock is written to every active shop, paired or not, so every one of them has its sales read.
    const ids = new Set((await this.connections.listActive()).map((c) => c.id));
    if (!ids.size) return 0;
    await this.db.transaction(async () => {
      for (const connectionId of ids)
        await this.outbox.enqueue(orderPollRequestedTopic, { connectionId, reason: 'schedule' });
    });
    return ids.size;
  }
}
