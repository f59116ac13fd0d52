import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Db } from '@app/database/db';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(WebhookSubscriptionEntity);
  }

  findById(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  listLiveByMerchant(merchantId: string): Promise<WebhookSubscriptionEntity[]> {
    return this.repo.find({ where: { merchantId, deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async save(subscription: WebhookSubscriptionEntity): Promise<void> {
    await this.repo.save(subscription);
  }
}
