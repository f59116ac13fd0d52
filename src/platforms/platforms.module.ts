import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PortBinding } from '../common/port-binding';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../ops/health/health.module';
import { HealthService } from '../ops/health/health.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { ChannelPort, ChannelRegistry, CHANNELS, OAUTH_CLIENTS, Platform, PlatformOAuthClient, PUSH_PARSERS, PushParser, ShopRef, TOKEN_PROVIDER, TokenProvider } from './channel.port';
import { KuaishouOAuthClient } from './kuaishou/kuaishou-oauth.client';
import { KuaishouPushParser } from './kuaishou/kuaishou-push.parser';
import { kuaishouGatewayOptions } from './kuaishou/kuaishou-rate-limits';
import { KuaishouChannel } from './kuaishou/kuaishou.channel';
import { PlatformGateway } from './shared/platform-gateway';
import { YouzanOAuthClient } from './youzan/youzan-oauth.client';
import { YouzanPushParser } from './youzan/youzan-push.parser';
import { youzanGatewayOptions } from './youzan/youzan-rate-limits';
import { YouzanChannel } from './youzan/youzan.channel';

export const GATEWAYS = Symbol('GATEWAYS');
type Gateways = Record<Platform, PlatformGateway>;

class MapChannelRegistry implements ChannelRegistry {
  constructor(private readonly channels: Record<Platform, ChannelPort>) {}
  get(platform: Platform): ChannelPort {
    return this.channels[platform];
  }
}

/** The clients' end of the token port: the accounts module binds its token store when it starts. */
@Injectable()
export class TokenProviderBinding extends PortBinding<TokenProvider> implements TokenProvider {
  protected readonly portName = 'the token provider';

  accessToken(shop: ShopRef): Promise<string> {
    return this.impl().accessToken(shop);
  }

  refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string> {
    return this.impl().refreshAfterExpiry(shop, rejectedToken);
  }
}

/** Wires both platform adapters behind the channel port, OAuth and push-parser tokens. */
@Module({
  imports: [HealthModule],
  providers: [
    TokenProviderBinding,
    { provide: TOKEN_PROVIDER, useExisting: TokenProviderBinding },
    {
      provide: GATEWAYS,
      inject: [AppConfig, MetricsService],
      useFactory: (config: AppConfig, metrics: MetricsService): Gateways => ({
        kuaishou: new PlatformGateway(kuaishouGatewayOptions(config.platforms), metrics),
        youzan: new PlatformGateway(youzanGatewayOptions(config.platforms), metrics),
      }),
    },
    {
      provide: OAUTH_CLIENTS,
      inject: [AppConfig, GATEWAYS, CLOCK],
      useFactory: (config: AppConfig, gateways: Gateways, clock: Clock): Record<Platform, PlatformOAuthClient> => ({
        kuaishou: new KuaishouOAuthClient(config.platforms.kuaishou, gateways.kuaishou, { timeoutMs: config.platforms.timeoutMs, clock }),
        youzan: new YouzanOAuthClient(config.platforms.youzan, gateways.youzan, { timeoutMs: config.platforms.timeoutMs, clock }),
      }),
    },
    {
      provide: CHANNELS,
      inject: [AppConfig, GATEWAYS, TOKEN_PROVIDER, CLOCK],
      useFactory: (config: AppConfig, gateways: Gateways, tokens: TokenProvider, clock: Clock): ChannelRegistry =>
        new MapChannelRegistry({
          kuaishou: new KuaishouChannel(config.platforms.kuaishou, gateways.kuaishou, tokens, { timeoutMs: config.platforms.timeoutMs, clock, sendOperationId: config.platforms.sendOperationId }),
          youzan: new YouzanChannel(config.platforms.youzan, gateways.youzan, tokens, { clock, http: { timeoutMs: config.platforms.timeoutMs, sendOperationId: config.platforms.sendOperationId } }),
        }),
    },
    {
      provide: PUSH_PARSERS,
      inject: [AppConfig, CLOCK],
      useFactory: (config: AppConfig, clock: Clock): Record<Platform, PushParser> => ({
        kuaishou: new KuaishouPushParser(config.platforms.kuaishou),
        youzan: new YouzanPushParser(config.platforms.youzan, clock),
      }),
    },
  ],
  exports: [OAUTH_CLIENTS, CHANNELS, PUSH_PARSERS, TokenProviderBinding],
})
export class PlatformsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(GATEWAYS) private readonly gateways: Gateways,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    for (const gateway of Object.values(this.gateways)) {
      this.health.register({
        name: `platform:${gateway.platform}`,
        critical: false,
        run: async () => {
          const breakers = gateway.breakerStates();
          return { up: Object.values(breakers).every((s) => s !== 'open'), breakers };
        },
      });
    }
  }

  onApplicationShutdown(): void {
    for (const gateway of Object.values(this.gateways)) gateway.shutdown();
  }
}
