import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** A verified platform push, stored before it was acknowledged. */
export class PushReceived {
  @IsIn(['kuaishou', 'youzan']) platform: 'kuaishou' | 'youzan';
  @IsString() @MaxLength(100) eventId: string;
  @IsIn(['order', 'refund', 'item', 'other']) kind: 'order' | 'refund' | 'item' | 'other';
  @IsString() @MaxLength(80) rawType: string;
  @IsOptional() @IsString() @MaxLength(100) shopId?: string;
  @IsOptional() @IsString() @MaxLength(64) orderId?: string;
  @IsOptional() @IsString() @MaxLength(64) refundId?: string;
  @IsInt() receivedAt: number;
  /** The platform's time of the event, when it says. */
  @IsOptional() @IsInt() occurredAt?: number;
}

export const pushReceivedTopic = defineTopic({
  name: Topic.PushReceived,
  payload: PushReceived,
  key: (p) => `${p.platform}:${p.orderId ?? p.refundId ?? p.eventId}`,
});
