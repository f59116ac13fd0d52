import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/**
 * Records an inbound delivery id as taken, inside the caller's transaction, so the delivery's effect and the
 * record commit (or roll back) together. A delivery taken before makes `take` throw a unique violation
 * (`isUniqueViolation`), which rolls the caller's transaction back: the caller answers "duplicate".
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly db: Db,
    private readonly repo: WebhookDeliveryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async take(source: string, deliveryId: string): Promise<void> {
    if (!this.db.inTransaction) throw new Error('WebhookDeliveriesService.take must run inside Db.transaction()');
    await this.repo.insert({ source: source.slice(0, 40), deliveryId, receivedAt: this.clock.now() });
  }
}
