import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { ChannelRefundStatus } from '../../platforms/ports/after-sales.port';

/** Plain decimal digits only: Number() would also take 0x10, 1e3 and '' (as 0). */
const decimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

export const REFUND_STATUSES: ChannelRefundStatus[] = ['requested', 'in_progress', 'refused', 'succeeded', 'closed'];

export class ListRefundsQueryDto {
  @ApiPropertyOptional({ enum: REFUND_STATUSES })
  @IsOptional()
  @IsIn(REFUND_STATUSES)
  status?: ChannelRefundStatus;

  @ApiPropertyOptional({ enum: ['kuaishou', 'youzan'] })
  @IsOptional()
  @IsIn(['kuaishou', 'youzan'])
  platform?: 'kuaishou' | 'youzan';

  @ApiPropertyOptional({ description: "The platform's order id (Kuaishou oid, Youzan tid)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'platformOrderId must be letters, digits, "_" or "-"' })
  platformOrderId?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;

  /** The notice after a page form's redirect. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  ok?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  error?: string;
}
