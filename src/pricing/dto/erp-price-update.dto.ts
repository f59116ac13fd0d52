import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ErpPriceItemDto {
  @ApiProperty({ description: 'Merchant SKU code (the outer code on both platforms)', example: 'TSHIRT-RED-M' })
  @IsString()
  @Matches(/^[A-Za-z0-9._\-/]{1,64}$/, { message: 'skuCode must be 1–64 letters, digits or ._-/' })
  skuCode: string;

  @ApiProperty({
    description: 'The master price in fen (absolute); each listing is derived from it per policy',
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  priceFen: number;

  @ApiProperty({
    description: 'Monotonic price sequence per SKU from the ERP, starting at 1; a stale one is ignored',
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sequence: number;
}

/** The merchant is the one the signing credential belongs to, never a body field. */
export class ErpPriceUpdateDto {
  @ApiProperty({ type: [ErpPriceItemDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ErpPriceItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  updates: ErpPriceItemDto[];
}
