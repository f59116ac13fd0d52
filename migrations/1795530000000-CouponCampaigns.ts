import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/** Coupon campaigns run on both platforms, their per-platform coupons, redemptions seen on orders, anomalies. */
export class CouponCampaigns1795530000000 implements MigrationInterface {
  name = 'CouponCampaigns1795530000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'coupon_campaign',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('name', 100),
          int('discount_fen'),
          int('threshold_fen'),
          int('budget'),
          int('per_buyer_limit'),
          int('max_merchant_discount_fen'),
          bigint('starts_at'),
          bigint('ends_at'),
          varchar('status', 12),
          int('redeemed_count', false, 0),
          int('merchant_cost_fen', false, 0),
          int('platform_cost_fen', false, 0),
          bigint('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_coupon_campaign_merchant', columnNames: ['merchant_id', 'created_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'coupon_channel',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('campaign_id', 36),
          varchar('platform', 20),
          varchar('connection_id', 36),
          varchar('shop_id', 100),
          int('allotted'),
          varchar('idempotency_key', 100),
          varchar('coupon_id', 40, true),
          varchar('status', 12),
          varchar('last_error', 500, true),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_coupon_channel_campaign_platform',
            columnNames: ['campaign_id', 'platform'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_coupon_channel_coupon', columnNames: ['platform', 'coupon_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'coupon_redemption',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('campaign_id', 36),
          varchar('platform', 20),
          varchar('platform_order_id', 64),
          varchar('coupon_id', 40),
          int('merchant_fen'),
          int('platform_fen'),
          bigint('order_created_at'),
          bigint('recorded_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_coupon_redemption_order_coupon',
            columnNames: ['platform', 'platform_order_id', 'coupon_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_coupon_redemption_campaign', columnNames: ['campaign_id', 'platform'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'coupon_anomaly',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('campaign_id', 36, true),
          varchar('kind', 30),
          varchar('platform', 20),
          varchar('platform_order_id', 64),
          text('evidence'),
          bigint('detected_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_coupon_anomaly_kind_order',
            columnNames: ['kind', 'platform', 'platform_order_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_coupon_anomaly_merchant',
            columnNames: ['merchant_id', 'campaign_id', 'detected_at'],
          }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const table of ['coupon_anomaly', 'coupon_redemption', 'coupon_channel', 'coupon_campaign'])
      await qr.dropTable(table);
  }
}
