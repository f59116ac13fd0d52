import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SHIPMENT_STATUSES, ShipmentEntity } from '../shipment.entity';
import { ShipmentLineDto } from './shipment.dto';

export class ShipmentView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Our order id' }) orderId: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) platform: string;
  @ApiProperty() platformOrderId: string;
  @ApiProperty({ description: 'Carrier (domain code of the carrier table)' }) carrier: string;
  @ApiProperty() trackingNo: string;
  @ApiPropertyOptional({ type: [ShipmentLineDto], nullable: true, description: 'null: the whole order' })
  lines: { lineId: string; quantity: number }[] | null;
  @ApiProperty({ enum: ['erp', 'api'] }) source: string;
  @ApiProperty({ enum: SHIPMENT_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true }) errorCode: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Why it failed, with the platform’s own message' })
  reason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() createdAt: number;
  @ApiProperty() updatedAt: number;
  @ApiPropertyOptional({ nullable: true }) shippedAt: number | null;

  static of(s: ShipmentEntity): ShipmentView {
    return {
      id: s.id,
      orderId: s.orderId,
      platform: s.platform,
      platformOrderId: s.platformOrderId,
      carrier: s.carrier,
      trackingNo: s.trackingNo,
      lines: s.lines,
      source: s.source,
      status: s.status,
      errorCode: s.errorCode,
      reason: s.reason,
      attempts: s.attempts,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      shippedAt: s.shippedAt,
    };
  }
}

export class ShipmentAcceptedView {
  @ApiProperty({ type: ShipmentView }) shipment: ShipmentView;
  @ApiProperty({ description: 'The same waybill for the same order was recorded before; nothing new is sent' })
  duplicate: boolean;
}
