import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** An inbound webhook delivery id already handled (its effect committed with this row). */
@Entity('webhook_delivery')
@Index('idx_webhook_delivery_received', ['receivedAt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  source: string;

  @PrimaryColumn({ name: 'delivery_id', type: 'varchar', length: 100 })
  deliveryId: string;

  @Column({ name: 'received_at', type: 'bigint', transformer: bigintNumber })
  receivedAt: number;
}
