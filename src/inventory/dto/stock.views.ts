import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AllocationView {
  @ApiProperty() bindingId: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) platform: string;
  @ApiProperty() platformSkuId: string;
  @ApiProperty({ description: 'Units the platform may still sell (its stock plus sales not yet heard of)' })
  allotted: number;
  @ApiProperty({ description: 'What the allocator wants it to show' }) target: number;
  @ApiProperty({ description: "Whether the platform's stock has been read" }) established: boolean;
  @ApiPropertyOptional({
    nullable: true,
    description: 'Why the platform cannot be lowered now (its units stay counted); null when it can',
  })
  unwritable: string | null;
}

export class SkuStockView {
  @ApiProperty() merchantSkuId: string;
  @ApiProperty() skuCode: string;
  @ApiPropertyOptional({ nullable: true }) title: string | null;
  @ApiProperty({ description: 'Whether the ERP has reported this SKU (before that, platforms are left alone)' })
  managed: boolean;
  @ApiProperty() onHand: number;
  @ApiProperty({ description: 'Held by open orders' }) reserved: number;
  @ApiProperty() safetyStock: number;
  @ApiProperty({ description: 'onHand − reserved − safetyStock' }) sellable: number;
  @ApiProperty({ enum: ['auto', 'split', 'pool'] }) allocationMode: string;
  @ApiProperty() scarceBelow: number;
  @ApiProperty() tranche: number;
  @ApiProperty({ description: 'Per-platform min/max shown units, as set', type: 'object', additionalProperties: true })
  platformLimits: Record<string, { min?: number; max?: number }>;
  @ApiProperty({ type: [AllocationView] }) allocations: AllocationView[];
}

export class StockWriteView {
  @ApiProperty() id: string;
  @ApiProperty() platform: string;
  @ApiProperty() delta: number;
  @ApiProperty({ enum: ['pending', 'applied', 'not_applied', 'unknown', 'reconciled'] }) status: string;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiProperty() createdAt: number;
  @ApiPropertyOptional({ nullable: true }) settledAt: number | null;
}

export class StockDriftView {
  @ApiProperty() platform: string;
  @ApiProperty() expected: number;
  @ApiProperty() observed: number;
  @ApiProperty() action: string;
  @ApiProperty() createdAt: number;
}

export class SkuStockDetailView extends SkuStockView {
  @ApiProperty({ type: [StockWriteView] }) recentWrites: StockWriteView[];
  @ApiProperty({ type: [StockDriftView] }) recentDrift: StockDriftView[];
}
