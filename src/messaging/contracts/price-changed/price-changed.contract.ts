import { IsIn, IsInt, IsObject, IsOptional, IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

export const PRICE_CHANGE_REASONS = ['api', 'erp', 'audit'] as const;
export type PriceChangeReason = (typeof PRICE_CHANGE_REASONS)[number];

/**
 * Prices of a merchant SKU's listings are to change (`api`, `erp`: to `targets`, by binding id, in fen)
 * or to be checked against the parity policy (`audit`). Keyed by merchant SKU: one price writer per SKU.
 */
export class PriceChanged {
  @IsUUID() merchantSkuId: string;
  @IsIn(PRICE_CHANGE_REASONS) reason: PriceChangeReason;
  @IsOptional() @IsObject() targets?: Record<string, number>;
  @IsInt() requestedAt: number;
  /** `erp`: the ERP's sequence of the price the targets were derived from (a replay older than the kept one is dropped). */
  @IsOptional() @IsInt() sequence?: number;
}

export const priceChangedTopic = defineTopic({
  name: Topic.PriceChanged,
  payload: PriceChanged,
  key: (p) => p.merchantSkuId,
});
