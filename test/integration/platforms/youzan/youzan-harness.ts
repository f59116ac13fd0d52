import { Logger } from '@nestjs/common';
import { YouzanConfig } from '@app/config/app-config';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { TokenGrant, TokenProvider } from '@app/platforms/ports/accounts.port';
import { PlatformError } from '@app/platforms/platform-error';
import { GatewayOptions, PlatformGateway } from '@app/platforms/shared/platform-gateway';
import { YouzanOAuthClient } from '@app/platforms/youzan/youzan-oauth.client';
import { createYouzanChannels, YouzanChannelOptions } from '@app/platforms/youzan/youzan.channels';
import { PlatformChannels } from '@app/platforms/ports/channel.registry';
import { YouzanEmulator, YouzanEmulatorOptions } from '@app/sandbox/youzan/youzan.emulator';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';

export const CLIENT_ID = 'yz_test_client';
export const CLIENT_SECRET = 'yz-test-client-secret-0001';

/** A tiny token store backed by the real OAuth client: refreshes once for concurrent callers. */
export class TestTokenProvider implements TokenProvider {
  readonly grants = new Map<string, TokenGrant>();
  refreshes = 0;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly oauth: YouzanOAuthClient) {}

  set(connectionId: string, grant: TokenGrant): void {
    this.grants.set(connectionId, grant);
  }

  async accessToken(shop: ShopRef): Promise<string> {
    const grant = this.grants.get(shop.connectionId);
    if (!grant)
      throw new PlatformError({ platform: 'youzan', api: 'tokens', code: 'AUTH_REVOKED', message: 'no grant' });
    return grant.accessToken;
  }

  async refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string> {
    const grant = this.grants.get(shop.connectionId);
    if (!grant)
      throw new PlatformError({ platform: 'youzan', api: 'tokens', code: 'AUTH_REVOKED', message: 'no grant' });
    if (grant.accessToken !== rejectedToken) return grant.accessToken;
    let running = this.inflight.get(shop.connectionId);
    if (!running) {
      running = (async () => {
        this.refreshes++;
        const fresh = grant.refreshToken
          ? await this.oauth.refresh(grant.refreshToken)
          : await this.oauth.silentGrant(shop.shopId);
        this.grants.set(shop.connectionId, fresh);
        return fresh.accessToken;
      })().finally(() => this.inflight.delete(shop.connectionId));
      this.inflight.set(shop.connectionId, running);
    }
    return running;
  }
}

export interface HarnessOptions {
  emulator?: Partial<YouzanEmulatorOptions>;
  gateway?: Partial<GatewayOptions>;
  channel?: YouzanChannelOptions;
}

export interface YouzanHarness {
  emulator: YouzanEmulator;
  control: YouzanSandboxControl;
  config: YouzanConfig;
  metrics: MetricsService;
  gateway: PlatformGateway;
  oauth: YouzanOAuthClient;
  tokens: TestTokenProvider;
  /** The adapter of every capability port. */
  channels: PlatformChannels;
  /** A new emulator shop, authorized, with a grant from the silent flow stored in `tokens`. */
  connectShop(name?: string): Promise<ShopRef>;
  close(): Promise<void>;
}

export function testGatewayOptions(overrides: Partial<GatewayOptions> = {}): GatewayOptions {
  return {
    platform: 'youzan',
    apiQps: {},
    defaultApiQps: 10_000,
    shopQps: 10_000,
    retryAttempts: 3,
    retryBaseMs: 10,
    retryCapMs: 40,
    breaker: { errorThresholdPercent: 50, volumeThreshold: 100_000, resetTimeoutMs: 1_000 },
    maxQueueWaitMs: 10_000,
    ...overrides,
  };
}

export async function startYouzanHarness(options: HarnessOptions = {}): Promise<YouzanHarness> {
  Logger.overrideLogger(false);
  const emulator = await YouzanEmulator.start({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    seed: 7,
    ...options.emulator,
  });
  const config: YouzanConfig = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorizeType: 'authorization_code',
    apiBaseUrl: emulator.url,
    authorizeUrl: `${emulator.url}/oauth/authorize`,
    rateLimits: {},
    shopQps: 10_000,
  };
  const metrics = new MetricsService();
  const gateway = new PlatformGateway(testGatewayOptions(options.gateway), metrics);
  // The emulator's clock can be moved forward; the adapter must see the platform's time.
  const clock = { now: () => emulator.clock.now() };
  const oauth = new YouzanOAuthClient(config, gateway, { timeoutMs: 5_000, clock });
  const tokens = new TestTokenProvider(oauth);
  const channels = createYouzanChannels(config, gateway, tokens, {
    http: { timeoutMs: 5_000, throttleBackoffMs: [20, 40, 80], sendOperationId: true },
    clock,
    ...options.channel,
  });
  const control = new YouzanSandboxControl(emulator.url);
  let connections = 0;
  return {
    emulator,
    control,
    config,
    metrics,
    gateway,
    oauth,
    tokens,
    channels,
    async connectShop(name?: string) {
      const shop = await control.createShop({ name });
      const grant = await oauth.silentGrant(String(shop.kdtId));
      const ref: ShopRef = { platform: 'youzan', connectionId: `conn-${++connections}`, shopId: grant.shopId };
      tokens.set(ref.connectionId, grant);
      return ref;
    },
    async close() {
      gateway.shutdown();
      await emulator.stop();
    },
  };
}

/** A tiny PNG as a data URL: listing images are fetched and uploaded to Youzan's material store. */
export const SAMPLE_IMAGE = `data:image/png;base64,${Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64')}`;

/** Raw POST to the emulator, returning the parsed body as Youzan sent it. */
export async function rawPost(
  url: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // non-JSON answers (502) are asserted by status
  }
  return { status: res.status, text, json };
}

/** The error a call fails with (PlatformError unless told); fails the test when the call succeeds. */
export async function failure<T extends Error = PlatformError>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T = PlatformError as unknown as new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}
