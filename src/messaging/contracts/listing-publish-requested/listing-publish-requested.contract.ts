import { IsIn, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** A validated listing is to be created on its target platform. Keyed by listing: one publisher per listing. */
export class ListingPublishRequested {
  @IsUUID() listingId: string;
  @IsIn(['merchant', 'schedule', 'import']) reason: 'merchant' | 'schedule' | 'import';
}

export const listingPublishRequestedTopic = defineTopic({
  name: Topic.ListingPublishRequested,
  payload: ListingPublishRequested,
  key: (p) => p.listingId,
});
