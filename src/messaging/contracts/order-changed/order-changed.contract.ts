import { IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

const STATUSES = ['unpaid', 'paid', 'shipped', 'delivered', 'completed', 'cancelled'] as const;

/** An order in the registry was created or changed status. */
export class OrderChanged {
  @IsUUID() orderId: string;
  @IsUUID() merchantId: string;
  @IsIn(['kuaishou', 'youzan']) platform: 'kuaishou' | 'youzan';
  @IsString() @MaxLength(64) platformOrderId: string;
  @IsIn(STATUSES) status: (typeof STATUSES)[number];
  @IsOptional() @IsIn(STATUSES) previousStatus?: (typeof STATUSES)[number];
  @IsInt() platformUpdatedAt: number;
}

export const orderChangedTopic = defineTopic({
  name: Topic.OrderChanged,
  payload: OrderChanged,
  key: (p) => p.orderId,
});
