import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
  Min,
  ValidateNested,
} from 'class-validator';
import { IsText } from '@app/common/http/validation';
import { SHIPMENT_STATUSES, ShipmentStatus } from '../shipment.entity';

/** Order and line ids as the platforms write them. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ID_MESSAGE = 'must be 1–64 letters, digits, _ or -';

export class ShipmentLineDto {
  @ApiProperty({ description: "The platform's order-line id (Kuaishou: the oid; Youzan: the line oid)" })
  @IsString()
  @Matches(ID, { message: `lineId ${ID_MESSAGE}` })
  lineId: string;

  @ApiProperty({ description: 'Units of the line in this parcel', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;
}

/** One shipment: an order (any of its ids), the carrier and the waybill; lines only for a partial shipment. */
export class CreateShipmentDto {
  @ApiProperty({ description: 'Our order id, or the platform order id (Kuaishou oid, Youzan tid)' })
  @IsString()
  @Matches(ID, { message: `orderId ${ID_MESSAGE}` })
  orderId: string;

  @ApiProperty({
    description: 'Carrier code or name (SF, ZTO, JD, JTEXPRESS, 顺丰…): see the carrier table',
    example: 'SF',
  })
  @IsText(40)
  carrier: string;

  @ApiProperty({ description: 'Waybill number: letters, digits and hyphens', example: 'SF1234567890' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{4,40}$/, { message: 'trackingNo must be 4–40 letters, digits or hyphens' })
  trackingNo: string;

  @ApiPropertyOptional({
    type: [ShipmentLineDto],
    description:
      'Partial shipment: the lines (and units) in this parcel. Kuaishou: units of the order’s one line; Youzan: whole lines. Absent: the whole order.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineDto)
  lines?: ShipmentLineDto[];
}

export class ShipmentListQueryDto {
  @ApiPropertyOptional({ enum: SHIPMENT_STATUSES })
  @IsOptional()
  @IsIn(SHIPMENT_STATUSES)
  status?: ShipmentStatus;

  @ApiPropertyOptional({ description: 'Only shipments of this order (any of its ids)' })
  @IsOptional()
  @Matches(ID, { message: `order ${ID_MESSAGE}` })
  order?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
