import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** The retention purge deletes delivered outbound webhooks by `(status, delivered_at)`. */
export class OutboundDeliveryRetention1795645000000 implements MigrationInterface {
  name = 'OutboundDeliveryRetention1795645000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'webhook_outbound_delivery',
      new TableIndex({ name: 'idx_webhook_outbound_delivery_delivered', columnNames: ['status', 'delivered_at'] }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('webhook_outbound_delivery', 'idx_webhook_outbound_delivery_delivered');
  }
}
