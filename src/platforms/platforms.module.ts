import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { HealthService } from '../ops/health/health.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { Platform } from './ports/platform.types';
import { OAUTH_CLIENTS, PlatformOAuthClient, TOKEN_PROVIDER, TokenProvider } from './ports/accounts.port';
import { PUSH_PARSERS, PushParser } from './ports/push.port';
import { channelRegistryOf, ChannelRegistry, CHANNELS } from './ports/channel.registry';
import { KuaishouOAuthClient } from './kuaishou/kuaishou-oauth.client';
import { KuaishouPushParser } from './kuaishou/kuaishou-push.parser';
import { kuaishouGatewayOptions } from './kuaishou/kuaishou-rate-limits';
import { createKuaishouChannels } from './kuaishou/kuaishou.channels';
import { CALL_FAILURE_LISTENER, CallFailureListener, withFailurePolicy } from './shared/failure-boundary';
import { PlatformGateway } from './shared/platform-gateway';
import { YouzanOAuthClient } from './youzan/youzan-oauth.client';
import { YouzanPushParser } from './youzan/youzan-push.parser';
import { youzanGatewayOptions } from './youzan/youzan-rate-limits';
import { createYouzanChannels } from './youzan/youzan.channels';

export const GATEWAYS = Symbol('GATEWAYS');
type Gateways = Record<Platform, PlatformGateway>;

/** Wires both platforms' capability adapters behind the channel registry, OAuth and push-parser tokens. Every port it hands out applies the failure policy: no caller has to report a failed call. */
@Global()
@Module({
  providers: [
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
      inject: [AppConfig, GATEWAYS, TOKEN_PROVIDER, CALL_FAILURE_LISTENER, CLOCK],
      useFactory: (
        config: AppConfig,
        gateways: Gateways,
        tokens: TokenProvider,
        listener: CallFailureListener,
        clock: Clock,
      ): ChannelRegistry =>
        channelRegistryOf(
          {
            kuaishou: createKuaishouChannels(config.platforms.kuaishou, gateways.kuaishou, tokens, {
              timeoutMs: config.platforms.timeoutMs,
              clock,
              sendOperationId: config.platforms.sendOperationId,
            }),
            youzan: createYouzanChannels(config.platforms.youzan, gateways.youzan, tokens, {
              clock,
              http: { timeoutMs: config.platforms.timeoutMs, sendOperationId: config.platforms.sendOperationId },
            }),
          },
          (port) => withFailurePolicy(port, listener),
        ),
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
  exports: [GATEWAYS, OAUTH_CLIENTS, CHANNELS, PUSH_PARSERS],
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
