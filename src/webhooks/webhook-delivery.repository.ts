import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '@app/database/db';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** The deliveries already taken (de-duplication of ERP webhooks). */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly db: Db) {}

  /** Retention: deliveries received before the cutoff; returns how many went. */
  async deleteReceivedBefore(cutoff: number): Promise<number> {
    const result = await this.db.manager.getRepository(WebhookDeliveryEntity).delete({ receivedAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
