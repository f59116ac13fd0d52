import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { campaignRebalanceRequestedTopic } from '@app/messaging/contracts/campaign-rebalance-requested/campaign-rebalance-requested.contract';
import { CampaignChangeService } from '../campaign-changes.service';

/** The scheduled rebalance of one campaign: skipped while another change holds it (the next run tries again). */
@Injectable()
export class CampaignRebalanceConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly changes: CampaignChangeService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      campaignRebalanceRequestedTopic,
      'promotions.campaign-rebalance',
      (p) => this.changes.rebalanceQuietly(p.merchantId, p.campaignId),
      { transactional: false },
    );
  }
}
