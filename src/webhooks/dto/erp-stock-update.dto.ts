import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';

export class ErpStockItemDto {
  @ApiProperty({ description: 'Merchant SKU code (the outer code on both platforms)', example: 'TSHIRT-RED-M' })
  @IsString()
  @Matches(/^[A-Za-z0-9._\-/]{1,64}$/, { message: 'skuCode must be 1–64 letters, digits or ._-/' })
  skuCode: string;

  @ApiProperty({ description: 'Physical units on hand (absolute)', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(9_999_999)
  onHand: number;

  @ApiProperty({
    description: 'Monotonic sequence per SKU from the ERP, starting at 1; a stale one is ignored',
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  // Beyond 2^53 a JSON number is no longer exact, so "newer" could not be told.
  @Max(Number.MAX_SAFE_INTEGER)
  sequence: number;

  @ApiPropertyOptional({
    description:
      'Epoch ms: this count already deducts every shipment recorded up to then (on the clock the webhook timestamp uses). Absent: shipments recorded ERP_SHIPMENT_COUNT_LAG_MS before the report arrived.',
    minimum: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  shippedThrough?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  title?: string;
}

/** The merchant is the one the signing credential belongs to, never a body field. */
export class ErpStockUpdateDto {
  @ApiProperty({ type: [ErpStockItemDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ErpStockItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  updates: ErpStockItemDto[];
}
