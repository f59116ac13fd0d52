import { Global, Module } from '@nestjs/common';
import { ORDER_SYNC } from '../inventory/order-sync.port';
import { OrderPollConsumer } from './consumers/order-poll.consumer';
import { PushReceivedConsumer } from './consumers/push-received.consumer';
import { OrderPollJob } from './jobs/order-poll.job';
import { OrderIngestService } from './order-ingest.service';
import { OrderPollService } from './order-poll.service';
import { OrderRepository } from './order.repository';
import { PushIntakeService } from './push-intake.service';

@Global()
@Module({
  providers: [OrderRepository, OrderIngestService, OrderPollService, PushIntakeService, PushReceivedConsumer, OrderPollConsumer, OrderPollJob, { provide: ORDER_SYNC, useExisting: OrderPollService }],
  exports: [ORDER_SYNC, OrderIngestService, OrderPollService, PushIntakeService, OrderRepository],
})
export class OrdersModule {}
