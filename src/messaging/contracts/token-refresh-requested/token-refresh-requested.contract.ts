import { IsIn, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export class TokenRefreshRequested {
  @IsUUID() connectionId: string;
  @IsIn(['expiring', 'retry']) reason: 'expiring' | 'retry';
}

export const tokenRefreshRequestedTopic = defineTopic({
  name: Topic.TokenRefreshRequested,
  payload: TokenRefreshRequested,
  key: (p) => p.connectionId,
});
