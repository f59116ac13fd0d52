import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** Compare one shop's platform order list with the registry (keyed by connection: one shop's reads at a time). */
export class OrderReconcileRequested {
  @IsUUID() connectionId: string;
  @IsIn(['schedule', 'manual']) reason: 'schedule' | 'manual';
  /** How far back, by creation time, the comparison reaches (default 72 h). */
  @IsOptional() @IsInt() @Min(60_000) @Max(30 * 24 * 3_600_000) lookbackMs?: number;
  @IsInt() requestedAt: number;
}

export const orderReconcileRequestedTopic = defineTopic({
  name: Topic.OrderReconcileRequested,
  payload: OrderReconcileRequested,
  key: (p) => p.connectionId,
});
