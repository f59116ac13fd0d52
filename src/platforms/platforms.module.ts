import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PortBinding } from '../common/port-binding';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../ops/health/health.module';
import { HealthService } from '../ops/health/health.service';
import { ConsumerRegistry } from '../messaging/consumer/consumer.registry';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { describePlatformFailure, failureDisposition } from './failure-policy';
import { MetricsService } from '../ops/metrics/metrics.service';
import { Platform } from './ports/platform.types';
import { GATEWAYS, Gateways, PlatformHealthService } from './platform-health.service';
import { OAUTH_CLIENTS, PlatformOAuthClient, TOKEN_PROVIDER, TokenProvider } from './ports/accounts.port';
import { PUSH_PARSERS, PushParser } from './ports/push.port';
import { channelRegistryOf, ChannelRegistry, CHANNELS } from './ports/channel.registry';
import { ShopRef } from './ports/platform.types';
import { PlatformError } from './platform-error';
import { KuaishouOAuthClient } from './kuaishou/kuaishou-oauth.client';
import { KuaishouPushParser } from './kuaishou/kuaishou-push.parser';
import { kuaishouGatewayOptions } from './kuaishou/kuaishou-rate-limits';
import { createKuaishouChannels } from './kuaishou/kuaishou.channels';
import { CALL_FAILURE_LISTENER, CallFailureListener, withFailurePolicy } from './shared/failure-boundary';
import { PlatformGateway } from './shared/platform-gateway';
import { PlatformCallStatsRepository } from './call-stats/platform-call-stats.repository';
import { PlatformCallStatsService } from './call-stats/platform-call-stats.service';
import { YouzanOAuthClient } from './youzan/youzan-oauth.client';
import { YouzanPushParser } from './youzan/youzan-push.parser';
import { youzanGatewayOptions } from './youzan/youzan-rate-limits';
import { createYouzanChannels } from './youzan/youzan.channels';

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

/** The failure boundary's listener: the accounts module binds its connections service when it starts. */
@Injectable()
export class CallFailureListenerBinding extends PortBinding<CallFailureListener> implements CallFailureListener {
  protected readonly portName = 'the call-failure listener';

  reportCallFailure(connectionId: string, error: PlatformError): Promise<boolean> {
    return this.impl().reportCallFailure(connectionId, error);
  }
}

/** Wires both platforms' capability adapters behind the channel registry, OAuth and push-parser tokens. Every port it hands out applies the failure policy: no caller has to report a failed call. */
@Module({
  imports: [HealthModule, SyncFailuresModule],
  providers: [
    TokenProviderBinding,
    { provide: TOKEN_PROVIDER, useExisting: TokenProviderBinding },
    CallFailureListenerBinding,
    PlatformHealthService,
    PlatformCallStatsRepository,
    PlatformCallStatsService,
    { provide: CALL_FAILURE_LISTENER, useExisting: CallFailureListenerBinding },
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
        kuaishou: new KuaishouOAuthClient(config.platforms.kuaishou, gateways.kuaishou, {
          timeoutMs: config.platforms.timeoutMs,
          clock,
        }),
        youzan: new YouzanOAuthClient(config.platforms.youzan, gateways.youzan, {
          timeoutMs: config.platforms.timeoutMs,
          clock,
        }),
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
  exports: [
    OAUTH_CLIENTS,
    CHANNELS,
    PUSH_PARSERS,
    TokenProviderBinding,
    CallFailureListenerBinding,
    PlatformHealthService,
    PlatformCallStatsService,
  ],
})
export class PlatformsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(GATEWAYS) private readonly gateways: Gateways,
    private readonly health: HealthService,
    private readonly consumers: ConsumerRegistry,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    // The one failure policy, applied by the consumer runner to every consumer; a retry (ops or
    // scheduled) that fails again keeps the platform's code and its disposition.
    this.consumers.useFailurePolicy({ dispositionOf: failureDisposition, describe: describePlatformFailure });
    this.failures.registerErrorMapper(describePlatformFailure);
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
