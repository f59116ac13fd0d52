import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { campaignRebalanceRequestedTopic } from '@app/messaging/contracts/campaign-rebalance-requested/campaign-rebalance-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { PromotionsRepository } from '../promotions.repository';

/** How often every live campaign's shared budget is rebalanced (besides after each recorded redemption). */
export const CAMPAIGN_REBALANCE_EVERY_MS = 5 * 60_000;
const MAX_CAMPAIGNS = 2_000;

/**
 * Only enqueues: one rebalance per live campaign on several platforms, every five minutes (the move
 * happens in the consumer, under the campaign's lock). Claims made on a platform whose orders the
 * service has not recorded yet still move the budget this way.
 */
@Injectable()
export class CampaignRebalanceJob {
  private readonly logger = new Logger(CampaignRebalanceJob.name);

  constructor(
    private readonly repo: PromotionsRepository,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('campaign-budget-rebalance', { everyMs: CAMPAIGN_REBALANCE_EVERY_MS })
  async enqueue(): Promise<number> {
    const now = this.clock.now();
    let enqueued = 0;
    for (const campaign of await this.repo.liveCampaigns(now, MAX_CAMPAIGNS)) {
      try {
        await this.db.transaction(() =>
          this.outbox.enqueue(campaignRebalanceRequestedTopic, {
            merchantId: campaign.merchantId,
            campaignId: campaign.id,
            requestedAt: now,
          }),
        );
        enqueued++;
      } catch (error) {
        this.logger.error(`enqueueing the rebalance of campaign ${campaign.id} failed: ${(error as Error).message}`);
      }
    }
    return enqueued;
  }
}
