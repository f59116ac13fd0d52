import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsText } from '@app/common/http/validation';
import { REFUND_ACTIONS, RefundAction } from '../../platforms/ports/after-sales.port';
import type { RefundActionRequest } from './refund-actions.service';

/** A form's number arrives as a string; only plain digits become a number ('' means not given). */
const digits = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
const blankToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

export class ReturnAddressDto {
  @ApiProperty({ maxLength: 40 })
  @IsText(40)
  name: string;

  @ApiProperty({ maxLength: 20 })
  @IsString()
  @Matches(/^[0-9+\- ]{5,20}$/, { message: 'mobile must be 5–20 digits, "+", "-" or spaces' })
  mobile: string;

  @ApiProperty({ maxLength: 200 })
  @IsText(200)
  address: string;
}

class RefundActionFields {
  @ApiProperty({ enum: REFUND_ACTIONS })
  @IsIn(REFUND_ACTIONS)
  action: RefundAction;

  @ApiPropertyOptional({ description: 'refuse: the reason the buyer sees', maxLength: 200 })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(200)
  reason?: string;

  @ApiPropertyOptional({ description: 'refuse on Kuaishou: a reason code from open.refund.reject.reason' })
  @IsOptional()
  @Transform(digits)
  @IsInt()
  @Min(1)
  @Max(999_999)
  reasonCode?: number;

  @ApiPropertyOptional({ description: 'agree_return on Kuaishou: an address id (else the shop default)' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Matches(/^\d{1,19}$/, { message: 'returnAddressId must be digits' })
  returnAddressId?: string;
}

/** POST /api/merchants/:merchantId/refunds/:refundId/actions */
export class RefundActionDto extends RefundActionFields {
  @ApiPropertyOptional({ type: ReturnAddressDto, description: 'agree_return on Youzan: where the goods go back' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReturnAddressDto)
  returnAddress?: ReturnAddressDto;

  toRequest(): RefundActionRequest {
    return { ...this };
  }
}

/** The refunds page's form: the return address comes as flat fields. */
export class RefundActionFormDto extends RefundActionFields {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(40)
  returnName?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Matches(/^[0-9+\- ]{5,20}$/, { message: 'returnMobile must be 5–20 digits, "+", "-" or spaces' })
  returnMobile?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(200)
  returnAddress?: string;

  toRequest(): RefundActionRequest {
    const { returnName, returnMobile, returnAddress, ...rest } = this;
    return {
      ...rest,
      returnAddress:
        returnName && returnMobile && returnAddress
          ? { name: returnName, mobile: returnMobile, address: returnAddress }
          : undefined,
    };
  }
}
