import { IsIn, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export class CategoryTreeRefreshRequested {
  @IsUUID() connectionId: string;
  @IsIn(['schedule']) reason: 'schedule';
}

export const categoryTreeRefreshRequestedTopic = defineTopic({
  name: Topic.CategoryTreeRefreshRequested,
  payload: CategoryTreeRefreshRequested,
  key: (p) => p.connectionId,
});
