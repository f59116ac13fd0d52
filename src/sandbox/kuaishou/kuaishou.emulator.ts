import express from 'express';
import { Counters } from '../shared/counters';
import { dateHeader, EmulatorClock } from '../shared/emulator-clock';
import { FaultInjector } from '../shared/fault-injector';
import { listen, RunningServer } from '../shared/http-server';
import { PushDispatcher, PushDispatcherOptions } from '../shared/push-dispatcher';
import { SeededRandom } from '../shared/random';
import { KuaishouCatalog } from './kuaishou-emulator.catalog';
import { KuaishouEmulatorStore, KsStoreOptions } from './kuaishou-emulator.store';
import { kuaishouOAuthRouter } from './kuaishou-oauth.routes';
import { KuaishouOAuthStore } from './kuaishou-oauth.store';
import { kuaishouOpenApiRouter } from './kuaishou-open-api.routes';
import { KuaishouPushSender } from './kuaishou-push.sender';
import { kuaishouSandboxRouter } from './kuaishou-sandbox.routes';

/** Every scope of the authorization table (sheet §1.2): the emulated app holds them all. */
export const KUAISHOU_ALL_SCOPES = [
  'user_base',
  'user_info',
  'merchant_user',
  'merchant_item',
  'merchant_order',
  'merchant_refund',
  'merchant_distribution',
  'merchant_logistics',
  'merchant_promotion',
  'merchant_cs',
  'merchant_comment',
  'merchant_servicemarket',
];

/** Documented push retry schedule: +5, 10, 20, 30, 60 minutes. */
export const KUAISHOU_PUSH_RETRY_DELAYS_MS = [5, 10, 20, 30, 60].map((minutes) => minutes * 60_000);

export interface KuaishouEmulatorOptions {
  port?: number;
  host?: string;
  appKey: string;
  appSecret: string;
  signSecret: string;
  /** Base64 AES key for push messages. */
  messageSecret: string;
  pushUrl?: string;
  pushRetryDelaysMs?: number[];
  /** The receiver must answer within 3 s. */
  pushTimeoutMs?: number;
  seed?: number;
  /** Shops created at start (for the demo); default 1. */
  seedShops?: number;
  appScopes?: string[];
  /** 'auto' approves listings and edits at once; 'manual' waits for POST /__sandbox/items/:id/audit. */
  auditMode?: KsStoreOptions['auditMode'];
  /** Whether a successful refund returns stock: default only when the order had not shipped. */
  refundRestock?: KsStoreOptions['refundRestock'];
  /** Orders become readable (order APIs, pushes) this many ms after they took stock; default 0. */
  orderReadLagMs?: number;
  dailyItemCreateLimit?: number;
  /** Daily cap of open.item.category.suggested.get per shop (default 100; the real cap is unpublished). */
  suggestDailyCap?: number;
  /** 50 per the 2022 doc; a 2026 third-party comment says 100 (unconfirmed). */
  maxOrderPageSize?: number;
  /** The refund list window: documented 1 day, may shrink during promotions. */
  refundWindowMs?: number;
  accessTokenTtlS?: number;
  refreshTokenTtlS?: number;
  /** How long a rotated refresh token keeps working (documented "within 5 minutes"). */
  refreshGraceMs?: number;
  /** Check |timestamp − now| (tolerance unconfirmed; off by default). */
  timestampSkewMs?: number;
}

/**
 * A local Kuaishou open platform: the API gateway (`/open/**`), OAuth (`/oauth/authorize`,
 * `/oauth2/*`), encrypted push delivery and the `/__sandbox/*` control API. It shares nothing
 * with src/platforms/kuaishou except the public protocol.
 */
export class KuaishouEmulator {
  private constructor(
    private readonly server: RunningServer,
    readonly store: KuaishouEmulatorStore,
    readonly oauth: KuaishouOAuthStore,
    readonly clock: EmulatorClock,
    readonly faults: FaultInjector,
    readonly counters: Counters,
    readonly push: KuaishouPushSender,
    private readonly dispatcher: PushDispatcher,
  ) {}

  static async start(options: KuaishouEmulatorOptions): Promise<KuaishouEmulator> {
    const clock = new EmulatorClock();
    const random = new SeededRandom(options.seed ?? 20_260_101);
    const faults = new FaultInjector(new SeededRandom((options.seed ?? 20_260_101) + 1));
    const counters = new Counters();
    const appScopes = options.appScopes ?? KUAISHOU_ALL_SCOPES;
    const store = new KuaishouEmulatorStore(new KuaishouCatalog(), clock, random, {
      auditMode: options.auditMode ?? 'auto',
      refundRestock: options.refundRestock ?? 'unshipped',
      orderReadLagMs: options.orderReadLagMs ?? 0,
      dailyItemCreateLimit: options.dailyItemCreateLimit ?? 500,
      suggestDailyCap: options.suggestDailyCap ?? 100,
    });
    const oauth = new KuaishouOAuthStore(clock, {
      accessTokenTtlS: options.accessTokenTtlS ?? 172_800,
      refreshTokenTtlS: options.refreshTokenTtlS ?? 180 * 86_400,
      refreshGraceMs: options.refreshGraceMs ?? 5 * 60_000,
      codeTtlMs: 2 * 60_000,
    });
    const dispatcherOptions: PushDispatcherOptions = {
      retryDelaysMs: options.pushRetryDelaysMs ?? KUAISHOU_PUSH_RETRY_DELAYS_MS,
      timeoutMs: options.pushTimeoutMs ?? 3_000,
      isAck: (status, body) => status === 200 && isResultOne(body),
    };
    const dispatcher = new PushDispatcher(dispatcherOptions, faults, counters);
    dispatcher.setTarget(options.pushUrl);
    const push = new KuaishouPushSender(dispatcher, options.appKey, options.messageSecret, clock, oauth);
    store.onEvent((event) => push.publish(event));
    store.readLagListener = () => counters.fault('read_lag');
    for (let i = 0; i < (options.seedShops ?? 1); i++) store.createShop();

    const app = express();
    app.use(dateHeader(clock));
    app.disable('x-powered-by');
    app.use(express.urlencoded({ extended: false, limit: '5mb' }));
    app.use(express.json({ limit: '5mb' }));
    app.use(
      '/open',
      kuaishouOpenApiRouter({
        appKey: options.appKey,
        signSecret: options.signSecret,
        clock,
        faults,
        counters,
        store,
        oauth,
        maxOrderPageSize: options.maxOrderPageSize ?? 50,
        refundWindowMs: options.refundWindowMs ?? 86_400_000,
        timestampSkewMs: options.timestampSkewMs,
      }),
    );
    app.use(
      kuaishouOAuthRouter({
        appKey: options.appKey,
        appSecret: options.appSecret,
        appScopes,
        store,
        oauth,
        faults,
        counters,
      }),
    );
    app.use(
      '/__sandbox',
      kuaishouSandboxRouter({ store, oauth, clock, faults, counters, dispatcher, dispatcherOptions, push, appScopes }),
    );
    const server = await listen(app, options.port ?? 0, options.host ?? '127.0.0.1');
    return new KuaishouEmulator(server, store, oauth, clock, faults, counters, push, dispatcher);
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  async stop(): Promise<void> {
    await this.dispatcher.stop();
    await this.server.close();
  }
}

function isResultOne(body: string): boolean {
  try {
    return (JSON.parse(body) as { result?: unknown }).result === 1;
  } catch {
    return false;
  }
}
