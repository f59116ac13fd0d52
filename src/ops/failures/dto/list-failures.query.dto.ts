import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SyncFailureStatus } from '../sync-failure.entity';
import { PagingQueryDto } from '../../../common/http/paging.dto';

const STATUSES: SyncFailureStatus[] = ['open', 'retrying', 'resolved', 'dismissed'];

export class ListFailuresQueryDto extends PagingQueryDto {
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
}
