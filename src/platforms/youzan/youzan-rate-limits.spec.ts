import { PlatformsConfig } from '@app/config/app-config';
import { YOUZAN_API_QPS, YOUZAN_DEFAULT_API_QPS, youzanGatewayOptions } from './youzan-rate-limits';

describe('youzanGatewayOptions', () => {
  const platforms = {
    retryAttempts: 4,
    breaker: { errorThresholdPercent: 40, volumeThreshold: 8, resetTimeoutMs: 9000 },
    youzan: { rateLimits: { 'youzan.item.quantity.update': 10, 'youzan.trade.get': 60 }, shopQps: 25 },
  } as unknown as PlatformsConfig;

  it('uses the documented per-shop QPS as defaults and lets configuration override them', () => {
    const options = youzanGatewayOptions(platforms);
    expect(options.platform).toBe('youzan');
    expect(options.apiQps['youzan.item.get']).toBe(300);
    expect(options.apiQps['youzan.item.create']).toBe(20);
    expect(options.apiQps['youzan.item.quantity.update']).toBe(10);
    expect(options.apiQps['youzan.trade.get']).toBe(60);
    expect(options.defaultApiQps).toBe(YOUZAN_DEFAULT_API_QPS);
    expect(options).toMatchObject({ shopQps: 25, retryAttempts: 4, breaker: platforms.breaker });
    expect(YOUZAN_API_QPS['youzan.item.quantity.update']).toBe(30);
  });
});
