import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A platform SKU id is unique only within its item: Youzan addresses the implicit SKU of every item
 * without variants as sku_id 0, so one shop can hold several bindings with platform SKU id '0'.
 */
export class SkuBindingItemScope1795470000000 implements MigrationInterface {
  name = 'SkuBindingItemScope1795470000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'sku_binding',
      new TableIndex({
        name: 'uq_sku_binding_platform_item_sku',
        columnNames: ['connection_id', 'platform_item_id', 'platform_sku_id'],
        isUnique: true,
      }),
    );
    await qr.dropIndex('sku_binding', 'uq_sku_binding_platform_sku');
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'sku_binding',
      new TableIndex({
        name: 'uq_sku_binding_platform_sku',
        columnNames: ['connection_id', 'platform_sku_id'],
        isUnique: true,
      }),
    );
    await qr.dropIndex('sku_binding', 'uq_sku_binding_platform_item_sku');
  }
}
