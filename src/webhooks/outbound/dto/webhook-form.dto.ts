import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  MERCHANT_EVENT_TYPES,
  MerchantEventType,
} from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';

/** The page's create form: one checked box arrives as a string, several as an array. */
export class WebhookSubscriptionFormDto {
  @IsString()
  @MaxLength(2000)
  url: string;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayNotEmpty({ message: 'choose at least one event type' })
  @IsIn(MERCHANT_EVENT_TYPES, { each: true })
  eventTypes: MerchantEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}
