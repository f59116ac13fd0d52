import { SkuBindingEntity } from '../catalog/sku-binding.entity';

export const ORDER_SYNC = Symbol('ORDER_SYNC');

/** What inventory needs from order intake (implemented by the orders context). */
export interface OrderSyncPort {
  /** Reads the shop's recently updated orders now, so every sale up to this moment is heard. */
  pollRecent(connectionId: string): Promise<void>;
  /** Applies the stock effect of order lines that arrived before their SKU was bound. */
  attachUnboundLines(binding: SkuBindingEntity): Promise<number>;
  /** Service-clock ms T such that every sale that took stock in this shop before T has been heard (ingested); undefined if unknown. */
  feedCompleteUpTo(connectionId: string): Promise<number | undefined>;
}
