import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ChannelOrderStatus } from '@app/platforms/ports/orders.port';
import { decimal, PagingQueryDto } from '@app/common/http/paging.dto';

export const ORDER_STATUSES: ChannelOrderStatus[] = [
  'unpaid',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
];
/** `none`: no risk level reached; the rest as in ship-deadline.ts. */
export const RISK_FILTERS = ['none', 'h12', 'h4', 'overdue'] as const;

/** Ids as the platforms and ERPs write them: letters, digits and ._-:/ (no spaces). */
const ORDER_ID = /^[A-Za-z0-9._\-:/]{1,64}$/;
const ORDER_ID_MESSAGE = 'must be 1–64 letters, digits or ._-:/';

export class ListOrdersQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: ['kuaishou', 'youzan'] })
  @IsOptional()
  @IsIn(['kuaishou', 'youzan'])
  platform?: 'kuaishou' | 'youzan';

  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'paid,shipped' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(ORDER_STATUSES, { each: true })
  status?: ChannelOrderStatus[];

  @ApiPropertyOptional({ enum: RISK_FILTERS, description: 'Deadline risk level reached (none = not at risk)' })
  @IsOptional()
  @IsIn(RISK_FILTERS)
  risk?: (typeof RISK_FILTERS)[number];

  @ApiPropertyOptional({ description: 'Shop connection id' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'connectionId must be a UUID' })
  connectionId?: string;

  @ApiPropertyOptional({ description: 'Any id of the order: internal, platform order, Youzan line oid or ERP id' })
  @IsOptional()
  @Matches(ORDER_ID, { message: `id ${ORDER_ID_MESSAGE}` })
  id?: string;
}

export class SetErpOrderIdDto {
  @ApiProperty({ description: "The ERP's own order id (unique per merchant)", example: 'ERP-2026-000123' })
  @IsString()
  @Matches(ORDER_ID, { message: `erpOrderId ${ORDER_ID_MESSAGE}` })
  erpOrderId: string;
}

export class ErpOrderLinkDto {
  @ApiProperty({ description: 'Any id of the order: internal, Kuaishou oid, Youzan tid or line oid' })
  @IsString()
  @Matches(ORDER_ID, { message: `orderId ${ORDER_ID_MESSAGE}` })
  orderId: string;

  @ApiProperty({ description: "The ERP's own order id", example: 'ERP-2026-000123' })
  @IsString()
  @Matches(ORDER_ID, { message: `erpOrderId ${ORDER_ID_MESSAGE}` })
  erpOrderId: string;
}

/** The merchant is the one the signing credential belongs to, never a body field. */
export class ErpOrderLinksDto {
  @ApiProperty({ type: [ErpOrderLinkDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ErpOrderLinkDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  orders: ErpOrderLinkDto[];
}

export class ShopShipPolicyDto {
  @ApiProperty({
    description: 'Hours after payment the shop promises to ship in, where the platform sets no ship-by (Youzan)',
    minimum: 1,
    maximum: 720,
  })
  @IsInt()
  @Min(1)
  @Max(720)
  promiseHours: number;
}

export class OnTimeQueryDto {
  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 365 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(365)
  days = 30;
}

export class ReconcileRunsQueryDto {
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 20;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  connectionId?: string;
}
