import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

export class PlatformLimitsDto {
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) min?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) max?: number;
}

export class PlatformLimitsByPlatformDto {
  @ApiPropertyOptional({ type: PlatformLimitsDto }) @IsOptional() @ValidateNested() @Type(() => PlatformLimitsDto) kuaishou?: PlatformLimitsDto;
  @ApiPropertyOptional({ type: PlatformLimitsDto }) @IsOptional() @ValidateNested() @Type(() => PlatformLimitsDto) youzan?: PlatformLimitsDto;
}

export class StockSettingsDto {
  @ApiPropertyOptional({ description: 'Units never offered on any platform', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9_999_999)
  safetyStock?: number;

  @ApiPropertyOptional({ enum: ['auto', 'split', 'pool'], description: 'auto: split when plentiful, pool when scarce' })
  @IsOptional()
  @IsIn(['auto', 'split', 'pool'])
  allocationMode?: 'auto' | 'split' | 'pool';

  @ApiPropertyOptional({ description: 'Below this many sellable units, auto mode pools the stock', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  scarceBelow?: number;

  @ApiPropertyOptional({ description: 'Units shown per platform at a time while pooling', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  tranche?: number;

  @ApiPropertyOptional({ type: PlatformLimitsByPlatformDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlatformLimitsByPlatformDto)
  platformLimits?: PlatformLimitsByPlatformDto;
}
