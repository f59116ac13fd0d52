import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/**
 * Inbound delivery ids, claimed in the caller's transaction so the claim commits with the effect.
 * A delivery claimed before fails the insert with a unique violation (the caller answers "duplicate").
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `source` is at most 40 characters (a prefix of up to 4 and a UUID). */
  async claim(source: string, deliveryId: string): Promise<void> {
    if (source.length > 40) throw new Error(`webhook delivery source ${source} is longer than 40 characters`);
    await this.db.manager
      .getRepository(WebhookDeliveryEntity)
      .insert({ source, deliveryId, receivedAt: this.clock.now() });
  }
}
