import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '@app/database/db';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** The inbound deliveries already taken (de-duplication of ERP webhooks). */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(WebhookDeliveryEntity);
  }

  /** Throws a unique violation when (source, deliveryId) was already taken. */
  async insert(delivery: WebhookDeliveryEntity): Promise<void> {
    await this.repo.insert(delivery);
  }

  /** Retention: deliveries received before the cutoff; returns how many went. */
  async deleteReceivedBefore(cutoff: number): Promise<number> {
    return (await this.repo.delete({ receivedAt: LessThan(cutoff) })).affected ?? 0;
  }
}
