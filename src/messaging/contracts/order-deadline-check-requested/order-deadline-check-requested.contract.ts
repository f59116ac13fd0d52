import { IsInt, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** Check one order's ship deadline and raise the risk level it has reached (keyed by order). */
export class OrderDeadlineCheckRequested {
  @IsUUID() orderId: string;
  @IsInt() requestedAt: number;
}

export const orderDeadlineCheckRequestedTopic = defineTopic({
  name: Topic.OrderDeadlineCheckRequested,
  payload: OrderDeadlineCheckRequested,
  key: (p) => p.orderId,
});
