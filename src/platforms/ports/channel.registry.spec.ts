import { KuaishouConfig, YouzanConfig } from '@app/config/app-config';
import { createKuaishouChannels } from '../kuaishou/kuaishou.channels';
import { PlatformGateway } from '../shared/platform-gateway';
import { createYouzanChannels } from '../youzan/youzan.channels';
import { TokenProvider } from './accounts.port';
import { channelRegistryOf, ChannelRegistry } from './channel.registry';
import { PLATFORMS } from './platform.types';

const CAPABILITIES = ['catalog', 'stock', 'prices', 'orders', 'fulfilment', 'afterSales', 'promotions'] as const;

describe(channelRegistryOf.name, () => {
  // Nothing is called at wiring time: the gateway and tokens are never touched here.
  const gateway = {} as PlatformGateway;
  const tokens = {} as TokenProvider;
  const byPlatform = {
    kuaishou: createKuaishouChannels({ apiBaseUrl: 'http://127.0.0.1:1' } as KuaishouConfig, gateway, tokens),
    youzan: createYouzanChannels({ apiBaseUrl: 'http://127.0.0.1:1' } as YouzanConfig, gateway, tokens),
  };
  const registry: ChannelRegistry = channelRegistryOf(byPlatform);

  it.each(CAPABILITIES)('hands out each platform its own %s adapter', (capability) => {
    for (const platform of PLATFORMS) {
      const port = registry[capability](platform);
      expect(port).toBe(byPlatform[platform][capability]);
      expect(port.platform).toBe(platform);
    }
  });

  it('gives every capability its own adapter object', () => {
    for (const platform of PLATFORMS) {
      const ports = new Set(CAPABILITIES.map((capability) => registry[capability](platform)));
      expect(ports.size).toBe(CAPABILITIES.length);
    }
  });

  it('says which platform writes stock absolutely and which computes ship-by times', () => {
    expect(registry.stock('kuaishou').absoluteStockWrite).toBe(false);
    expect(registry.stock('youzan').absoluteStockWrite).toBe(true);
    expect(registry.fulfilment('kuaishou').platformShipBy).toBe(true);
    expect(registry.fulfilment('youzan').platformShipBy).toBe(false);
  });
});
