import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { Db } from '@app/database/db';
import { EVENT_BUS, EventBus } from '@app/messaging/event-bus.port';
import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ providers: [HealthService], controllers: [HealthController], exports: [HealthService] })
export class HealthModule implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly db: Db,
    private readonly relay: OutboxRelay,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'database',
      critical: true,
      run: async () => {
        await this.db.dataSource.query('SELECT 1');
        return { up: true, kind: this.db.isMysql ? 'mysql' : 'sqlite' };
      },
    });
    this.health.register({
      name: 'bus',
      critical: true,
      run: async () => ({ ...(await this.bus.health()), relay: this.relay.isRunning ? 'running' : 'stopped' }),
    });
  }
}
