import { IsUUID } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/** A journaled shipment is to be written to its platform. Keyed by order: one writer per order. */
export class ShipmentRequested {
  @IsUUID() shipmentId: string;
  @IsUUID() orderId: string;
}

export const shipmentRequestedTopic = defineTopic({
  name: Topic.ShipmentRequested,
  payload: ShipmentRequested,
  key: (p) => p.orderId,
});
