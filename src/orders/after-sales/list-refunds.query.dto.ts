import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { ChannelRefundStatus } from '../../platforms/ports/after-sales.port';
import { PagingQueryDto } from '../../common/http/paging.dto';

export const REFUND_STATUSES: ChannelRefundStatus[] = ['requested', 'in_progress', 'refused', 'succeeded', 'closed'];

export class ListRefundsQueryDto extends PagingQueryDto {
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
