import { PlatformsConfig } from '@app/config/app-config';
import { GatewayOptions } from '../shared/platform-gateway';

/**
 * Youzan's suggested QPS per shop (fact sheet §2.4, doc digest). The gateway limits per
 * (app, API) and per shop; using the per-shop figures per API is conservative when one
 * deployment serves several shops, and exact for the usual one shop per merchant.
 * Order, refund and coupon APIs have no documented figure and use YOUZAN_DEFAULT_API_QPS.
 */
export const YOUZAN_API_QPS: Record<string, number> = {
  'youzan.item.get': 300,
  'youzan.item.search': 300,
  'youzan.items.onsale.get': 300,
  'youzan.items.inventory.get': 300,
  'youzan.item.add': 30,
  'youzan.item.update': 40,
  'youzan.item.create': 20,
  'youzan.item.delete': 20,
  'youzan.item.update.listing': 20,
  'youzan.item.update.delisting': 20,
  'youzan.item.sku.update': 50,
  'youzan.item.quantity.update': 30,
};

export const YOUZAN_DEFAULT_API_QPS = 100;

/** Gateway options for Youzan: documented QPS defaults merged with YOUZAN_RATE_LIMITS overrides. */
export function youzanGatewayOptions(platforms: PlatformsConfig): GatewayOptions {
  return {
    platform: 'youzan',
    apiQps: { ...YOUZAN_API_QPS, ...platforms.youzan.rateLimits },
    defaultApiQps: YOUZAN_DEFAULT_API_QPS,
    shopQps: platforms.youzan.shopQps,
    retryAttempts: platforms.retryAttempts,
    breaker: platforms.breaker,
  };
}
