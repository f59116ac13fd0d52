import { Clock, SystemClock } from '@app/common/clock';
import { YouzanConfig } from '@app/config/app-config';
import { TokenProvider } from '../ports/accounts.port';
import { PlatformChannels } from '../ports/channel.registry';
import { PlatformGateway } from '../shared/platform-gateway';
import { YouzanAfterSalesChannel } from './youzan-after-sales.channel';
import { YouzanCatalogChannel } from './youzan-catalog.channel';
import { YouzanFulfilmentChannel } from './youzan-fulfilment.channel';
import { YouzanHttpClient, YouzanHttpOptions } from './youzan-http.client';
import { YouzanOrdersChannel } from './youzan-orders.channel';
import { YouzanPricesChannel } from './youzan-prices.channel';
import { YouzanPromotionsChannel } from './youzan-promotions.channel';
import { YouzanStockChannel } from './youzan-stock.channel';

export interface YouzanChannelOptions {
  http?: YouzanHttpOptions;
  clock?: Clock;
  /** Longest wait for downloading a listing image before uploading it to Youzan. */
  imageFetchTimeoutMs?: number;
}

/**
 * The Youzan adapter of every capability port, sharing one HTTP client. Platform field names stay
 * in this folder; callers see fen, string ids and epoch ms.
 */
export function createYouzanChannels(
  config: YouzanConfig,
  gateway: PlatformGateway,
  tokens: TokenProvider,
  options: YouzanChannelOptions = {},
): PlatformChannels {
  const http = new YouzanHttpClient(config, gateway, tokens, { clock: options.clock, ...options.http });
  const clock = options.clock ?? new SystemClock();
  return {
    catalog: new YouzanCatalogChannel(http, options.imageFetchTimeoutMs ?? 10_000),
    stock: new YouzanStockChannel(http),
    prices: new YouzanPricesChannel(http),
    orders: new YouzanOrdersChannel(http),
    fulfilment: new YouzanFulfilmentChannel(http),
    afterSales: new YouzanAfterSalesChannel(http),
    promotions: new YouzanPromotionsChannel(http, clock),
  };
}
