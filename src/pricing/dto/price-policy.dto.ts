import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';

const MAX_FEN = 99_999_999;

export class AdjustmentDto {
  @ApiPropertyOptional({ description: 'Added percentage in basis points (500 = +5 %)', minimum: -5000, maximum: 10000 })
  @IsOmittable()
  @IsInt()
  @Min(-5000)
  @Max(10000)
  percentBp?: number;

  @ApiPropertyOptional({ description: 'Added fen (may be negative)', minimum: -MAX_FEN, maximum: MAX_FEN })
  @IsOmittable()
  @IsInt()
  @Min(-MAX_FEN)
  @Max(MAX_FEN)
  fixedFen?: number;
}

export class AdjustmentsDto {
  @ApiPropertyOptional({ type: AdjustmentDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => AdjustmentDto)
  kuaishou?: AdjustmentDto;
  @ApiPropertyOptional({ type: AdjustmentDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => AdjustmentDto)
  youzan?: AdjustmentDto;
}

/** Absent fields are left as they are; on a SKU override, `null` clears the field (the merchant default applies). */
export class PricePolicyDto {
  @ApiPropertyOptional({ enum: ['youzan', 'kuaishou', 'erp'], nullable: true })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsIn(['youzan', 'kuaishou', 'erp'])
  master?: 'youzan' | 'kuaishou' | 'erp' | null;

  @ApiPropertyOptional({ type: AdjustmentsDto, nullable: true })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => AdjustmentsDto)
  adjustments?: AdjustmentsDto | null;

  @ApiPropertyOptional({
    description: 'Last two fen digits of every derived price (90 → ¥x.90, 99 → ¥x.99)',
    minimum: 0,
    maximum: 99,
    nullable: true,
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(0)
  @Max(99)
  roundingEndingFen?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FEN, nullable: true })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  floorFen?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FEN, nullable: true })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  ceilingFen?: number | null;

  @ApiPropertyOptional({
    description: 'Parity limit in basis points (1000 = 10 %); above the allowance only if an admin allowed it',
    minimum: 0,
    maximum: 10000,
    nullable: true,
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(0)
  @Max(10000)
  parityLimitBp?: number | null;

  @ApiPropertyOptional({
    enum: ['refuse', 'clamp'],
    description: 'A write beyond the limit: refused with the numbers, or clamped',
    nullable: true,
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsIn(['refuse', 'clamp'])
  onBreach?: 'refuse' | 'clamp' | null;

  @ApiPropertyOptional({
    enum: ['correct', 'alert'],
    description: 'A spread beyond the limit found by the audit: corrected, or alerted only',
    nullable: true,
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsIn(['correct', 'alert'])
  auditAction?: 'correct' | 'alert' | null;
}

export class ParityAllowanceDto {
  @ApiPropertyOptional({
    description: 'Highest parity limit the merchant may set, in basis points',
    minimum: 0,
    maximum: 10000,
  })
  @IsInt()
  @Min(0)
  @Max(10000)
  parityAllowanceBp: number;
}

export class SetPriceDto {
  @ApiPropertyOptional({
    description: 'Fen. Without `platform`: the master price, each listing derived per policy.',
    minimum: 1,
    maximum: MAX_FEN,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  priceFen: number;

  @ApiPropertyOptional({
    enum: ['kuaishou', 'youzan'],
    description: 'Set only this platform listing, to exactly this price',
  })
  @IsOmittable()
  @IsIn(['kuaishou', 'youzan'])
  platform?: 'kuaishou' | 'youzan';
}
