import { Logger } from '@nestjs/common';
import axios from 'axios';
import { KuaishouConfig, PlatformsConfig, SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { TokenGrant, TokenProvider } from '@app/platforms/ports/accounts.port';
import { KuaishouChannelOptions } from '@app/platforms/kuaishou/kuaishou-api.client';
import { createKuaishouChannels } from '@app/platforms/kuaishou/kuaishou.channels';
import { PlatformChannels } from '@app/platforms/ports/channel.registry';
import { KuaishouHttpClient } from '@app/platforms/kuaishou/kuaishou-http.client';
import { KuaishouOAuthClient } from '@app/platforms/kuaishou/kuaishou-oauth.client';
import { kuaishouGatewayOptions } from '@app/platforms/kuaishou/kuaishou-rate-limits';
import { KuaishouSignedParams, signKuaishouRequest } from '@app/platforms/kuaishou/kuaishou-signer';
import { GatewayOptions, PlatformGateway } from '@app/platforms/shared/platform-gateway';
import { KuaishouEmulator, KuaishouEmulatorOptions } from '@app/sandbox/kuaishou/kuaishou.emulator';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';

// Retry warnings of the gateway are expected noise here.
Logger.overrideLogger(['error']);

export const KS_SCOPES = [
  'user_info',
  'merchant_user',
  'merchant_item',
  'merchant_order',
  'merchant_refund',
  'merchant_logistics',
  'merchant_promotion',
];
export const REDIRECT_URI = 'https://kwaizan.example.com/oauth/kuaishou/callback';

/** A token store like the accounts one, in memory: single-flight refresh, rotation stored at once. */
export class InMemoryTokenProvider implements TokenProvider {
  readonly grants = new Map<string, TokenGrant>();
  refreshes = 0;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly oauth: KuaishouOAuthClient) {}

  async accessToken(shop: ShopRef): Promise<string> {
    return this.grant(shop).accessToken;
  }

  refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string> {
    const current = this.grant(shop);
    if (current.accessToken !== rejectedToken) return Promise.resolve(current.accessToken);
    let pending = this.inFlight.get(shop.connectionId);
    if (!pending) {
      pending = this.oauth
        .refresh(current.refreshToken ?? '')
        .then((next) => {
          this.refreshes++;
          this.grants.set(shop.connectionId, { ...next, shopId: current.shopId });
          return next.accessToken;
        })
        .finally(() => this.inFlight.delete(shop.connectionId));
      this.inFlight.set(shop.connectionId, pending);
    }
    return pending;
  }

  grant(shop: ShopRef): TokenGrant {
    const grant = this.grants.get(shop.connectionId);
    if (!grant) throw new Error(`no grant for ${shop.connectionId}`);
    return grant;
  }
}

export interface HarnessOptions {
  signMethod?: KuaishouConfig['signMethod'];
  gateway?: Partial<GatewayOptions>;
  channel?: KuaishouChannelOptions;
  emulator?: Partial<KuaishouEmulatorOptions>;
  rateLimits?: Record<string, number>;
}

export interface KuaishouHarness {
  emulator: KuaishouEmulator;
  control: KuaishouSandboxControl;
  config: KuaishouConfig;
  gateway: PlatformGateway;
  oauth: KuaishouOAuthClient;
  tokens: InMemoryTokenProvider;
  /** The adapter of every capability port. */
  channels: PlatformChannels;
  shop: ShopRef;
  /** Authorizes a shop through the authorize page and registers it with the token provider. */
  connectShop(openId?: string): Promise<ShopRef>;
  stop(): Promise<void>;
}

/** Submits the authorize page's form the way a merchant's browser would, and returns the redirect. */
export async function approveInBrowser(
  emulatorUrl: string,
  authorizeUrl: string,
  openId: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> {
  const page = await axios.get<string>(authorizeUrl, { responseType: 'text' });
  const form = new URLSearchParams();
  for (const match of page.data.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(match[1], match[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  form.set('open_id', openId);
  form.set('decision', decision);
  const answer = await axios.post(`${emulatorUrl}/oauth/authorize`, form.toString(), {
    maxRedirects: 0,
    validateStatus: (status) => status === 302,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return new URL(String(answer.headers.location));
}

export async function startKuaishouHarness(options: HarnessOptions = {}): Promise<KuaishouHarness> {
  const credentials = SANDBOX_CREDENTIALS.kuaishou;
  const emulator = await KuaishouEmulator.start({
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    signSecret: credentials.signSecret,
    messageSecret: credentials.messageSecret,
    seed: 7,
    ...options.emulator,
  });
  const config: KuaishouConfig = {
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    signSecret: credentials.signSecret,
    messageSecret: credentials.messageSecret,
    signMethod: options.signMethod ?? 'HMAC_SHA256',
    apiBaseUrl: emulator.url,
    authorizeUrl: `${emulator.url}/oauth/authorize`,
    scopes: KS_SCOPES,
    rateLimits: options.rateLimits ?? {},
    shopQps: 1_000,
  };
  const platforms = {
    timeoutMs: 2_000,
    retryAttempts: 3,
    breaker: { errorThresholdPercent: 50, volumeThreshold: 10, resetTimeoutMs: 1_000 },
    kuaishou: config,
  } as PlatformsConfig;
  const gateway = new PlatformGateway(
    {
      ...kuaishouGatewayOptions(platforms),
      retryBaseMs: 5,
      retryCapMs: 20,
      maxQueueWaitMs: 10_000,
      ...options.gateway,
    },
    new MetricsService(),
  );
  // The service's clock and the platform's agree in real life; here the emulator's clock moves.
  const oauth = new KuaishouOAuthClient(config, gateway, { timeoutMs: 2_000, clock: emulator.clock });
  const tokens = new InMemoryTokenProvider(oauth);
  const channels = createKuaishouChannels(config, gateway, tokens, {
    timeoutMs: 2_000,
    clock: emulator.clock,
    sendOperationId: true,
    ...options.channel,
  });
  const control = new KuaishouSandboxControl(emulator.url);

  const connectShop = async (openId?: string): Promise<ShopRef> => {
    const target = openId ?? (await control.createShop()).openId;
    const redirect = await approveInBrowser(
      emulator.url,
      oauth.authorizeUrl({ state: `state-${target}`, redirectUri: REDIRECT_URI }),
      target,
    );
    const grant = await oauth.exchangeCode({
      code: redirect.searchParams.get('code') ?? '',
      redirectUri: REDIRECT_URI,
    });
    const shop: ShopRef = { platform: 'kuaishou', connectionId: `conn-${grant.shopId}`, shopId: grant.shopId };
    tokens.grants.set(shop.connectionId, grant);
    return shop;
  };
  const [first] = await control.listShops();
  const shop = await connectShop(first.openId);
  return {
    emulator,
    control,
    config,
    gateway,
    oauth,
    tokens,
    channels,
    shop,
    connectShop,
    stop: async () => {
      gateway.shutdown();
      await emulator.stop();
    },
  };
}

/** The client's low-level HTTP client, signing with the given method. */
export function rawClient(
  config: KuaishouConfig,
  signMethod: KuaishouConfig['signMethod'] = config.signMethod,
): KuaishouHttpClient {
  return new KuaishouHttpClient({ ...config, signMethod }, { timeoutMs: 2_000 });
}

/**
 * Sends one gateway request by hand (correctly signed unless tampered with) and returns the exact
 * body text, so tests can assert the emulator's real error bodies.
 */
export async function rawGatewayCall(
  h: Pick<KuaishouHarness, 'config' | 'emulator'>,
  input: {
    api: string;
    accessToken: string;
    param?: string;
    signMethod?: 'MD5' | 'HMAC_SHA256';
    /** Values changed before signing (the sign matches them). */
    signWith?: Partial<Record<keyof KuaishouSignedParams, string>>;
    /** Values changed after signing (`undefined` drops the parameter). */
    tamper?: Record<string, string | undefined>;
    verb?: 'GET' | 'POST';
  },
): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
  const system = {
    access_token: input.accessToken,
    appkey: h.config.appKey,
    method: input.api,
    param: input.param ?? '{}',
    signMethod: input.signMethod ?? 'HMAC_SHA256',
    timestamp: String(Date.now()),
    version: '1',
    ...input.signWith,
  } as KuaishouSignedParams;
  const params: Record<string, string | undefined> = {
    ...system,
    sign: signKuaishouRequest(system, h.config.signSecret),
    ...input.tamper,
  };
  const form = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  const path = `${h.emulator.url}/${input.api.replace(/\./g, '/')}`;
  const options = { responseType: 'text' as const, transformResponse: (d: string) => d, validateStatus: () => true };
  const res =
    input.verb === 'GET'
      ? await axios.get<string>(`${path}?${form}`, options)
      : await axios.post<string>(path, form, {
          ...options,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
  return {
    status: res.status,
    text: res.data,
    body: res.data ? (JSON.parse(res.data) as Record<string, unknown>) : {},
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** A back-office item with one or more SKUs, straight through the control API. */
export async function seedItem(
  h: Pick<KuaishouHarness, 'control' | 'shop'>,
  skus: { stock: number; price?: number; reserveStock?: number }[] = [{ stock: 100 }],
  extra: { promiseSeconds?: number } = {},
) {
  const item = await h.control.createItem({
    openId: h.shop.shopId,
    title: '测试商品',
    categoryId: 1584,
    skus: skus.map((s, i) => ({ price: 1_990, ...s, skuNick: `SKU-${i + 1}` })),
    ...extra,
  });
  return { itemId: item.itemId, skuIds: item.skus.map((s) => s.skuId), item };
}
