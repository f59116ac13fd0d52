import { IsIn, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export class OrderPollRequested {
  @IsUUID() connectionId: string;
  @IsIn(['schedule', 'manual', 'settlement']) reason: 'schedule' | 'manual' | 'settlement';
}

export const orderPollRequestedTopic = defineTopic({
  name: Topic.OrderPollRequested,
  payload: OrderPollRequested,
  key: (p) => p.connectionId,
});
