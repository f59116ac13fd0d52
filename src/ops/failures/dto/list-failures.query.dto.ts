import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SyncFailureStatus } from '../sync-failure.entity';

/** Plain decimal digits only: Number() would also take 0x10, 1e3 and '' (as 0). */
const decimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

const STATUSES: SyncFailureStatus[] = ['open', 'retrying', 'resolved', 'dismissed'];

export class ListFailuresQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'open,retrying' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(STATUSES, { each: true })
  status?: SyncFailureStatus[];

  @ApiPropertyOptional({ example: 'inventory' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  context?: string;

  @ApiPropertyOptional({ enum: ['kuaishou', 'youzan'] })
  @IsOptional()
  @IsIn(['kuaishou', 'youzan'])
  platform?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  shopRef?: string;

  @ApiPropertyOptional({ example: 'RATE_LIMITED' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  errorCode?: string;

  @ApiPropertyOptional({ description: 'SKU, order id or other entity reference' })
  @IsOptional()
  @IsString()
  @MaxLength(191)
  entityRef?: string;

  @ApiPropertyOptional({ description: 'Free-text search in reason, entity and operation' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  // Beyond any real page (200 × 10,000 rows); keeps the SQL offset a sane integer.
  @Max(10_000)
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;
}
