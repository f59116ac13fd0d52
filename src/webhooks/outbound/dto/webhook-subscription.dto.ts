import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  MERCHANT_EVENT_TYPES,
  MerchantEventType,
} from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboundDeliveryStatus } from '../outbound-delivery.entity';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({ example: 'https://erp.example.com/hooks/kwaizan', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: MERCHANT_EVENT_TYPES, isArray: true, example: ['order.paid', 'order.shipped'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MERCHANT_EVENT_TYPES.length)
  @IsIn(MERCHANT_EVENT_TYPES, { each: true })
  eventTypes: MerchantEventType[];

  @ApiPropertyOptional({ example: 'warehouse ERP', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

const decimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

const STATUSES: OutboundDeliveryStatus[] = ['pending', 'delivered', 'failed', 'cancelled'];

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: OutboundDeliveryStatus;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
