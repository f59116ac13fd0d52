import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SkuBindingEntity } from '../sku-binding.entity';

export class SkuBindingView {
  @ApiProperty() id: string;
  @ApiProperty() merchantSkuId: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) platform: string;
  @ApiProperty() connectionId: string;
  @ApiProperty() platformItemId: string;
  @ApiProperty() platformSkuId: string;
  @ApiPropertyOptional({ nullable: true }) outerSkuId: string | null;
  @ApiProperty({ enum: ['auto', 'manual'] }) boundBy: string;
  @ApiProperty() createdAt: number;

  static of(b: SkuBindingEntity): SkuBindingView {
    return {
      id: b.id,
      merchantSkuId: b.merchantSkuId,
      platform: b.platform,
      connectionId: b.connectionId,
      platformItemId: b.platformItemId,
      platformSkuId: b.platformSkuId,
      outerSkuId: b.outerSkuId,
      boundBy: b.boundBy,
      createdAt: b.createdAt,
    };
  }
}

export class DiscoverResultView {
  @ApiProperty({ description: 'Platform SKUs looked at' }) scanned: number;
  @ApiProperty({ description: 'New bindings made' }) bound: number;
  @ApiProperty({ type: [String], description: 'Outer codes (or item/sku ids) with no merchant SKU' })
  unmatched: string[];
}
