import { IsString, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export class FailureRetryRequested {
  @IsUUID()
  failureId: string;

  @IsString()
  requestedBy: string;
}

export const failureRetryRequestedTopic = defineTopic({
  name: Topic.FailureRetryRequested,
  payload: FailureRetryRequested,
  key: (p) => p.failureId,
});
