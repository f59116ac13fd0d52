import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export const STOCK_CHANGE_REASONS = [
  'sale',
  'release',
  'shipment',
  'erp',
  'binding',
  'settings',
  'reconcile',
  'settle',
  'retry',
  'rebalance',
] as const;
export type StockChangeReason = (typeof STOCK_CHANGE_REASONS)[number];

/**
 * Something changed what a merchant SKU may show on the platforms. Keyed by merchant SKU: one
 * writer per SKU, and the writer reads the latest state, so a burst of these becomes few writes.
 */
export class StockChanged {
  @IsUUID() merchantSkuId: string;
  @IsIn(STOCK_CHANGE_REASONS) reason: StockChangeReason;
  /** When the change was accepted (for propagation latency). */
  @IsInt() triggerAt: number;
  /** Read the platforms back and correct drift before planning writes. */
  @IsOptional() @IsBoolean() reconcile?: boolean;
}

export const stockChangedTopic = defineTopic({
  name: Topic.StockChanged,
  payload: StockChanged,
  key: (p) => p.merchantSkuId,
});
