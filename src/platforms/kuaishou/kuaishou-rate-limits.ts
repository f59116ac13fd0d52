import { PlatformsConfig } from '@app/config/app-config';
import { GatewayOptions } from '../shared/platform-gateway';

/** Documented per-app QPS (sheet §2.6); configured `rateLimits` override them. */
export const KUAISHOU_API_QPS: Readonly<Record<string, number>> = {
  'open.item.new': 100,
  'open.item.edit': 100,
  'open.item.autopass.edit': 100,
  'open.item.shelf.status.update': 100,
  'open.item.delete': 100,
  'open.order.cursor.list': 300,
  'open.order.decrypt.batch': 100,
};

/** Undocumented APIs: a conservative default (`rateLimits.default` overrides it). */
export const KUAISHOU_DEFAULT_API_QPS = 100;

/** A retry-after beyond this (a daily quota) is left to the caller instead of being slept on. */
const MAX_IN_PROCESS_RETRY_DELAY_MS = 10_000;

export function kuaishouGatewayOptions(platforms: PlatformsConfig): GatewayOptions {
  const { default: defaultQps, ...overrides } = platforms.kuaishou.rateLimits;
  return {
    platform: 'kuaishou',
    apiQps: { ...KUAISHOU_API_QPS, ...overrides },
    defaultApiQps: defaultQps ?? KUAISHOU_DEFAULT_API_QPS,
    shopQps: platforms.kuaishou.shopQps,
    retryAttempts: platforms.retryAttempts,
    breaker: platforms.breaker,
    maxRetryDelayMs: MAX_IN_PROCESS_RETRY_DELAY_MS,
  };
}
