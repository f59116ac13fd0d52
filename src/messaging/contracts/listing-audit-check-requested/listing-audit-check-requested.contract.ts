import { IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** A published listing's platform audit state is to be read again. Keyed by listing. */
export class ListingAuditCheckRequested {
  @IsUUID() listingId: string;
}

export const listingAuditCheckRequestedTopic = defineTopic({
  name: Topic.ListingAuditCheckRequested,
  payload: ListingAuditCheckRequested,
  key: (p) => p.listingId,
});
