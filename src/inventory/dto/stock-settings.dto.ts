import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';

export class PlatformLimitsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 9_999_999 }) @IsOmittable() @IsInt() @Min(0) @Max(9_999_999) min?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 9_999_999 }) @IsOmittable() @IsInt() @Min(0) @Max(9_999_999) max?: number;
}

export class PlatformLimitsByPlatformDto {
  @ApiPropertyOptional({ type: PlatformLimitsDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PlatformLimitsDto)
  kuaishou?: PlatformLimitsDto;
  @ApiPropertyOptional({ type: PlatformLimitsDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PlatformLimitsDto)
  youzan?: PlatformLimitsDto;
}

export class StockSettingsDto {
  @ApiPropertyOptional({ description: 'Units never offered on any platform', minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(9_999_999)
  safetyStock?: number;

  @ApiPropertyOptional({ enum: ['auto', 'split', 'pool'], description: 'auto: split when plentiful, pool when scarce' })
  @IsOmittable()
  @IsIn(['auto', 'split', 'pool'])
  allocationMode?: 'auto' | 'split' | 'pool';

  @ApiPropertyOptional({
    description: 'Below this many sellable units, auto mode pools the stock',
    minimum: 0,
    maximum: 9_999_999,
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(9_999_999)
  scarceBelow?: number;

  @ApiPropertyOptional({
    description: 'Units shown per platform at a time while pooling',
    minimum: 1,
    maximum: 9_999_999,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(9_999_999)
  tranche?: number;

  @ApiPropertyOptional({ type: PlatformLimitsByPlatformDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PlatformLimitsByPlatformDto)
  platformLimits?: PlatformLimitsByPlatformDto;
}
