import { IsInt, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** Rebalance one campaign's shared budget between its platforms (keyed by campaign: one move at a time). */
export class CampaignRebalanceRequested {
  @IsUUID() merchantId: string;
  @IsUUID() campaignId: string;
  @IsInt() requestedAt: number;
}

export const campaignRebalanceRequestedTopic = defineTopic({
  name: Topic.CampaignRebalanceRequested,
  payload: CampaignRebalanceRequested,
  key: (p) => p.campaignId,
});
