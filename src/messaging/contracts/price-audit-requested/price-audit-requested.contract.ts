import { IsInt, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** Audit the listed prices of one shop (keyed by connection: one shop's reads at a time, within its rate limits). */
export class PriceAuditRequested {
  @IsUUID() connectionId: string;
  @IsInt() requestedAt: number;
}

export const priceAuditRequestedTopic = defineTopic({
  name: Topic.PriceAuditRequested,
  payload: PriceAuditRequested,
  key: (p) => p.connectionId,
});
