import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';

const MAX_FEN = 99_999_999;

/** One coupon campaign, created on every connected platform. Amounts in fen, times in epoch ms. */
export class CreateCampaignDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'Amount off per order (fen); give this or payPercent', minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  discountFen?: number;

  @ApiPropertyOptional({
    description:
      'Discount-rate coupon: the buyer pays this percent (88 = 8.8折). Youzan only: Kuaishou coupons take an amount off, so a rate campaign with Kuaishou is refused',
    minimum: 1,
    maximum: 99,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(99)
  payPercent?: number;

  @ApiPropertyOptional({ description: 'Run on these connected platforms only (default: every connected one)' })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn(['kuaishou', 'youzan'], { each: true })
  platforms?: ('kuaishou' | 'youzan')[];

  @ApiProperty({ description: 'Order amount needed (fen); 0 = none, else above discountFen', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  thresholdFen: number;

  @ApiProperty({ description: 'Coupons in total across both platforms (shared budget)', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  budget: number;

  @ApiProperty({ description: 'Coupons one buyer may claim per platform', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100)
  perBuyerLimit: number;

  @ApiPropertyOptional({ description: 'Most the merchant may fund on one order (fen); default discountFen' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  maxMerchantDiscountFen?: number;

  @ApiProperty({ description: 'Valid from (epoch ms)' })
  @IsInt()
  @Min(0)
  startsAt: number;

  @ApiProperty({ description: 'Valid until (epoch ms); Kuaishou rounds the window out to whole China days' })
  @IsInt()
  @Min(0)
  endsAt: number;
}

/** The campaign form on the merchant page: numbers as typed, dates as China calendar days. */
export class CampaignFormDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  /** Empty for a discount-rate campaign (then `payPercent`). */
  @Matches(/^(\d{1,8})?$/, { message: 'discountFen must be a whole number of fen' })
  discountFen: string;

  @IsOmittable()
  @Matches(/^(\d{1,2})?$/, { message: 'payPercent must be a whole percent (88 = 8.8折)' })
  payPercent?: string;

  @IsOmittable()
  @Matches(/^(\d{1,8})?$/, { message: 'maxMerchantDiscountFen must be a whole number of fen' })
  maxMerchantDiscountFen?: string;

  /** Empty = every connected platform. */
  @IsOmittable()
  @IsIn(['', 'kuaishou', 'youzan'], { message: 'platform must be kuaishou, youzan or both' })
  platform?: string;

  @Matches(/^\d{1,8}$/, { message: 'thresholdFen must be a whole number of fen' })
  thresholdFen: string;

  @Matches(/^\d{1,7}$/, { message: 'budget must be a whole number of coupons' })
  budget: string;

  @Matches(/^\d{1,3}$/, { message: 'perBuyerLimit must be a whole number' })
  perBuyerLimit: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date (YYYY-MM-DD)' })
  startDate: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endDate must be a date (YYYY-MM-DD)' })
  endDate: string;
}

/** A change to a live campaign; each field only where every platform of the campaign allows it. */
export class EditCampaignDto {
  @ApiPropertyOptional({ description: 'Coupons in total across the platforms (not below those claimed)', minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  budget?: number;

  @ApiPropertyOptional({ description: 'New end (epoch ms); Youzan only (Kuaishou cannot move it)' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  endsAt?: number;

  @ApiPropertyOptional({ description: 'New per-buyer limit; Youzan only (Kuaishou cannot change it)', minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  perBuyerLimit?: number;
}

/** The edit form on the campaigns page: empty fields are left as they are. */
export class CampaignEditFormDto {
  @Matches(/^(\d{1,7})?$/, { message: 'budget must be a whole number of coupons' })
  budget: string;

  @Matches(/^(\d{4}-\d{2}-\d{2})?$/, { message: 'endDate must be a date (YYYY-MM-DD)' })
  endDate: string;

  @Matches(/^(\d{1,3})?$/, { message: 'perBuyerLimit must be a whole number' })
  perBuyerLimit: string;
}
