import { Injectable } from '@nestjs/common';
import { PortBinding } from '../common/port-binding';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';

export const ORDER_SYNC = Symbol('ORDER_SYNC');

/** What inventory needs from order intake (implemented by the orders context). */
export interface OrderSyncPort {
  /** Reads the shop's recently updated orders now, so every sale up to this moment is heard. */
  pollRecent(connectionId: string): Promise<void>;
  /** Service-clock ms T such that every sale that took stock in this shop before T has been heard (ingested); undefined if unknown. */
  feedCompleteUpTo(connectionId: string): Promise<number | undefined>;
  /** Applies the stock effect of order lines that arrived before their SKU was bound. */
  attachUnboundLines(binding: SkuBindingEntity): Promise<number>;
}

/** Inventory's end of the port: the orders module binds its implementation when it starts. */
@Injectable()
export class OrderSyncBinding extends PortBinding<OrderSyncPort> implements OrderSyncPort {
  protected readonly portName = 'the order-sync port';

  pollRecent(connectionId: string): Promise<void> {
    return this.impl().pollRecent(connectionId);
  }

  feedCompleteUpTo(connectionId: string): Promise<number | undefined> {
    return this.impl().feedCompleteUpTo(connectionId);
  }

  attachUnboundLines(binding: SkuBindingEntity): Promise<number> {
    return this.impl().attachUnboundLines(binding);
  }
}
