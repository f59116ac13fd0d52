import { KuaishouConfig } from '@app/config/app-config';
import { TokenProvider } from '../ports/accounts.port';
import { PlatformChannels } from '../ports/channel.registry';
import { PlatformGateway } from '../shared/platform-gateway';
import { KuaishouAfterSalesChannel } from './kuaishou-after-sales.channel';
import { KuaishouApi, KuaishouChannelOptions } from './kuaishou-api.client';
import { KuaishouCatalogChannel } from './kuaishou-catalog.channel';
import { KuaishouFulfilmentChannel } from './kuaishou-fulfilment.channel';
import { KuaishouOrdersChannel } from './kuaishou-orders.channel';
import { KuaishouPricesChannel } from './kuaishou-prices.channel';
import { KuaishouPromotionsChannel } from './kuaishou-promotions.channel';
import { KuaishouStockChannel } from './kuaishou-stock.channel';

/** The Kuaishou adapter of every capability port, sharing one API client (gateway, tokens, clock). */
export function createKuaishouChannels(
  config: KuaishouConfig,
  gateway: PlatformGateway,
  tokens: TokenProvider,
  options: KuaishouChannelOptions = {},
): PlatformChannels {
  const api = new KuaishouApi(config, gateway, tokens, options);
  return {
    catalog: new KuaishouCatalogChannel(api, options),
    stock: new KuaishouStockChannel(api),
    prices: new KuaishouPricesChannel(api),
    orders: new KuaishouOrdersChannel(api, options),
    fulfilment: new KuaishouFulfilmentChannel(api),
    afterSales: new KuaishouAfterSalesChannel(api, options),
    promotions: new KuaishouPromotionsChannel(api),
  };
}
