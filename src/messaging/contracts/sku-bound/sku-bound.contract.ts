import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** A platform SKU of a shop was bound to a merchant SKU. */
export class SkuBound {
  @IsUUID() bindingId: string;
  @IsUUID() merchantSkuId: string;
  @IsIn(['kuaishou', 'youzan']) platform: 'kuaishou' | 'youzan';
  @IsString() @MaxLength(40) platformSkuId: string;
  @IsIn(['auto', 'manual']) boundBy: 'auto' | 'manual';
}

export const skuBoundTopic = defineTopic({ name: Topic.SkuBound, payload: SkuBound, key: (p) => p.merchantSkuId });
