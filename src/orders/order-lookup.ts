import { ChannelOrderEntity } from './channel-order.entity';
import type { OrderRepository } from './order.repository';
import type { OrderIdKind } from './order.view';
import { OrderIdAmbiguousException, OrderNotFoundException } from './orders.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type LookupQueries = Pick<
  OrderRepository,
  'findForMerchant' | 'findByErpIdForMerchant' | 'findByPlatformOrderIdForMerchant' | 'findByLineIdForMerchant'
>;

/**
 * Every order of the merchant the id names, with the kind it matched by: the most specific kind
 * that matches at all (internal id, then the ERP's order id, then platform order ids — Kuaishou
 * oid, Youzan tid — then platform line ids, a Youzan line `oid`).
 */
export async function orderMatches(
  orders: LookupQueries,
  merchantId: string,
  id: string,
): Promise<{ order: ChannelOrderEntity; matchedBy: OrderIdKind }[]> {
  if (UUID.test(id)) {
    const own = await orders.findForMerchant(merchantId, id.toLowerCase());
    if (own) return [{ order: own, matchedBy: 'internal' }];
  }
  const erp = await orders.findByErpIdForMerchant(merchantId, id);
  if (erp) return [{ order: erp, matchedBy: 'erp' }];
  const byPlatform = await orders.findByPlatformOrderIdForMerchant(merchantId, id);
  if (byPlatform.length) return byPlatform.map((order) => ({ order, matchedBy: 'platform_order' as const }));
  const byLine = await orders.findByLineIdForMerchant(merchantId, id);
  return byLine.map((order) => ({ order, matchedBy: 'platform_line' as const }));
}

/**
 * The one order of the merchant an id of any kind names: 404 when none, 409 when two orders carry
 * it at the same kind (the same number on both platforms). The one lookup of the order registry.
 */
export async function resolveOrder(
  orders: LookupQueries,
  merchantId: string,
  id: string,
): Promise<{ order: ChannelOrderEntity; matchedBy: OrderIdKind }> {
  const found = await orderMatches(orders, merchantId, id);
  if (!found.length) throw new OrderNotFoundException(id);
  if (found.length > 1) throw new OrderIdAmbiguousException(id, found.length);
  return found[0];
}
