import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { envSchema, ParsedEnv } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface DatabaseConfig {
  kind: 'mysql' | 'sqlite';
  url?: string;
  file: string;
  poolSize: number;
  runMigrations: boolean;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  groupPrefix: string;
  ssl: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Default 1 h. */
  newGroupLookbackMs?: number;
  /** Consumer session timeout: a member silent this long is evicted and its partitions move. Default 6 s. */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval (also while a handler runs). Default 1 s. */
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin. Default 10 s. */
  rebalanceTimeoutMs?: number;
  /** Backoff of the restart of a crashed consumer: first delay and cap. Defaults 1 s and 30 s. */
  restartInitialDelayMs?: number;
  restartMaxDelayMs?: number;
}

export interface KuaishouConfig {
  appKey: string;
  appSecret: string;
  signSecret: string;
  messageSecret: string;
  signMethod: 'HMAC_SHA256' | 'MD5';
  apiBaseUrl: string;
  authorizeUrl: string;
  scopes: string[];
  rateLimits: Record<string, number>;
  shopQps: number;
}

export interface YouzanConfig {
  clientId: string;
  clientSecret: string;
  authorizeType: 'authorization_code' | 'silent';
  apiBaseUrl: string;
  authorizeUrl: string;
  rateLimits: Record<string, number>;
  shopQps: number;
}

export interface PlatformsConfig {
  /** No platform credentials configured: both platforms are the bundled emulators. */
  sandbox: boolean;
  /** Sandbox mode without explicit API URLs: the service starts the emulators itself. */
  embeddedEmulators: boolean;
  sandboxHost: string;
  sandboxPorts: { kuaishou: number; youzan: number };
  /** Send the emulator-only operation-id header on stock writes (the real gateways never see it). */
  sendOperationId: boolean;
  timeoutMs: number;
  retryAttempts: number;
  breaker: { errorThresholdPercent: number; volumeThreshold: number; resetTimeoutMs: number };
  kuaishou: KuaishouConfig;
  youzan: YouzanConfig;
}

/** Public on purpose: only good for trying the service; outside sandbox mode start-up refuses it. */
export const SANDBOX_ERP_SECRET = 'kwaizan-sandbox-erp-secret';

/** Demo credentials of the bundled emulators (public on purpose: they only open the sandbox). */
export const SANDBOX_CREDENTIALS = {
  kuaishou: {
    appKey: 'ks_sandbox_app',
    appSecret: 'ks-sandbox-app-secret',
    signSecret: 'ks-sandbox-sign-secret',
    messageSecret: Buffer.from('sandbox-aes-key!').toString('base64'),
  },
  youzan: { clientId: 'yz_sandbox_client', clientSecret: 'yz-sandbox-client-secret-000001' },
} as const;

export interface AppConfigShape {
  env: ParsedEnv['NODE_ENV'];
  http: {
    host: string;
    port: number;
    publicBaseUrl: string;
    bodyLimitBytes: number;
    maxBodyDepth: number;
    trustProxy: boolean | number | string;
  };
  log: { level: ParsedEnv['LOG_LEVEL']; pretty: boolean };
  dataDir: string;
  database: DatabaseConfig;
  kafka?: KafkaConfig;
  messaging: {
    pollIntervalMs: number;
    batchSize: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxDelayMs: number;
    retryWindowMs: number;
    failureRetryDelaysMs: number[];
  };
  encryption: { keys: { id: string; key: Buffer }[]; activeKeyId: string; generated: boolean };
  platforms: PlatformsConfig;
  erp: { webhookSecret: string; toleranceSeconds: number; shipmentCountLagMs: number };
  orders: { pollIntervalMs: number; readLagMs: Record<'kuaishou' | 'youzan', number> };
  /** The stock writer's per-SKU lease (renewed every fifth of it while its run lives). */
  stock: { writerLeaseMs: number };
  auth: { sessionIdleMs: number; sessionMaxAgeMs: number; secureCookies: boolean; signInMaxAttempts: number };
  webhooks: { retryDelaysMs: number[]; timeoutMs: number; allowPrivateUrls: boolean };
}

/** Injection token and type of the one validated configuration object. */
export abstract class AppConfig implements AppConfigShape {
  abstract env: AppConfigShape['env'];
  abstract http: AppConfigShape['http'];
  abstract log: AppConfigShape['log'];
  abstract dataDir: string;
  abstract database: DatabaseConfig;
  abstract kafka?: KafkaConfig;
  abstract messaging: AppConfigShape['messaging'];
  abstract encryption: AppConfigShape['encryption'];
  abstract platforms: PlatformsConfig;
  abstract erp: AppConfigShape['erp'];
  abstract orders: AppConfigShape['orders'];
  abstract stock: AppConfigShape['stock'];
  abstract auth: AppConfigShape['auth'];
  abstract webhooks: AppConfigShape['webhooks'];
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfigShape {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];

  let sasl: KafkaConfig['sasl'];
  if (e.KAFKA_SASL_MECHANISM) {
    if (!e.KAFKA_SASL_USERNAME)
      problems.push({ variable: 'KAFKA_SASL_USERNAME', message: 'is required with KAFKA_SASL_MECHANISM' });
    if (!e.KAFKA_SASL_PASSWORD)
      problems.push({ variable: 'KAFKA_SASL_PASSWORD', message: 'is required with KAFKA_SASL_MECHANISM' });
    sasl = {
      mechanism: e.KAFKA_SASL_MECHANISM,
      username: e.KAFKA_SASL_USERNAME ?? '',
      password: e.KAFKA_SASL_PASSWORD ?? '',
    };
  }

  const dataDir = resolve(e.DATA_DIR);
  const platforms = resolvePlatforms(e, problems);
  const encryption = resolveEncryption(e, dataDir, platforms.sandbox, problems);
  if (!platforms.sandbox) refusePublicSecrets(e, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      bodyLimitBytes: e.HTTP_BODY_LIMIT_KB * 1024,
      maxBodyDepth: e.HTTP_BODY_MAX_DEPTH,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
    },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    dataDir,
    database: {
      kind: e.DATABASE_URL ? 'mysql' : 'sqlite',
      url: e.DATABASE_URL?.replace(/^mariadb:/, 'mysql:'),
      file: join(dataDir, 'kwaizan.sqlite'),
      poolSize: e.DATABASE_POOL_SIZE,
      runMigrations: !e.SKIP_MIGRATIONS,
    },
    kafka: e.KAFKA_BROKERS
      ? {
          brokers: e.KAFKA_BROKERS.split(','),
          clientId: e.KAFKA_CLIENT_ID,
          groupPrefix: e.KAFKA_GROUP_PREFIX,
          ssl: e.KAFKA_SSL,
          sasl,
          newGroupLookbackMs: e.KAFKA_NEW_GROUP_LOOKBACK_MS,
          sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatIntervalMs: e.KAFKA_HEARTBEAT_INTERVAL_MS,
          rebalanceTimeoutMs: e.KAFKA_REBALANCE_TIMEOUT_MS,
          restartInitialDelayMs: e.KAFKA_RESTART_INITIAL_DELAY_MS,
          restartMaxDelayMs: e.KAFKA_RESTART_MAX_DELAY_MS,
        }
      : undefined,
    messaging: {
      pollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      maxAttempts: e.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: e.CONSUMER_RETRY_BASE_MS,
      retryMaxDelayMs: e.CONSUMER_RETRY_MAX_DELAY_MS,
      retryWindowMs: e.CONSUMER_RETRY_WINDOW_MS,
      failureRetryDelaysMs: e.FAILURE_RETRY_DELAYS_MS.split(',').map(Number),
    },
    encryption,
    platforms,
    erp: {
      webhookSecret: e.ERP_WEBHOOK_SECRET ?? SANDBOX_ERP_SECRET,
      toleranceSeconds: e.ERP_WEBHOOK_TOLERANCE_S,
      shipmentCountLagMs: e.ERP_SHIPMENT_COUNT_LAG_MS,
    },
    orders: {
      pollIntervalMs: e.ORDER_POLL_INTERVAL_MS,
      readLagMs: { kuaishou: e.ORDER_READ_LAG_KUAISHOU_MS, youzan: e.ORDER_READ_LAG_YOUZAN_MS },
    },
    stock: { writerLeaseMs: e.STOCK_WRITER_LEASE_MS },
    auth: {
      sessionIdleMs: e.SESSION_IDLE_TIMEOUT_S * 1000,
      sessionMaxAgeMs: e.SESSION_MAX_AGE_S * 1000,
      secureCookies: (e.PUBLIC_BASE_URL ?? '').startsWith('https:'),
      signInMaxAttempts: e.SIGN_IN_MAX_ATTEMPTS,
    },
    webhooks: {
      retryDelaysMs: e.WEBHOOK_RETRY_DELAYS_S.split(',').map((s) => Math.round(Number(s) * 1000)),
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS ?? platforms.sandbox,
    },
  };
}

function parseTrustProxy(text: string): boolean | number | string {
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(',');
}

function parseRateLimits(text: string | undefined): Record<string, number> {
  if (!text) return {};
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [api, qps] = pair.split('=');
      return [api, Number(qps)];
    }),
  );
}

function resolvePlatforms(e: ParsedEnv, problems: { variable: string; message: string }[]): PlatformsConfig {
  const sandbox = !e.KUAISHOU_APP_KEY && !e.YOUZAN_CLIENT_ID;
  const require = (variable: keyof ParsedEnv, reason: string) => {
    if (!e[variable]) problems.push({ variable, message: `is required ${reason}` });
  };
  if (!sandbox) {
    const reason = 'when platform credentials are configured (leave all unset for sandbox mode)';
    for (const v of [
      'KUAISHOU_APP_KEY',
      'KUAISHOU_APP_SECRET',
      'KUAISHOU_SIGN_SECRET',
      'KUAISHOU_MESSAGE_SECRET',
      'YOUZAN_CLIENT_ID',
      'YOUZAN_CLIENT_SECRET',
    ] as const)
      require(v, reason);
  } else if (e.NODE_ENV === 'production') {
    problems.push({
      variable: 'KUAISHOU_APP_KEY',
      message: 'is required in production (sandbox mode is for trying the service)',
    });
    problems.push({
      variable: 'YOUZAN_CLIENT_ID',
      message: 'is required in production (sandbox mode is for trying the service)',
    });
  }
  const host = e.SANDBOX_HOST;
  const sandboxUrl = (port: number) => `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const ks = SANDBOX_CREDENTIALS.kuaishou;
  const yz = SANDBOX_CREDENTIALS.youzan;
  return {
    sandbox,
    embeddedEmulators: sandbox && !e.KUAISHOU_API_BASE_URL && !e.YOUZAN_API_BASE_URL,
    sandboxHost: host,
    sandboxPorts: { kuaishou: e.SANDBOX_KUAISHOU_PORT, youzan: e.SANDBOX_YOUZAN_PORT },
    sendOperationId: e.PLATFORM_OPERATION_ID_HEADER ?? sandbox,
    timeoutMs: e.PLATFORM_HTTP_TIMEOUT_MS,
    retryAttempts: e.PLATFORM_RETRY_ATTEMPTS,
    breaker: {
      errorThresholdPercent: e.PLATFORM_BREAKER_ERROR_PERCENT,
      volumeThreshold: e.PLATFORM_BREAKER_VOLUME,
      resetTimeoutMs: e.PLATFORM_BREAKER_RESET_MS,
    },
    kuaishou: {
      appKey: sandbox ? ks.appKey : (e.KUAISHOU_APP_KEY ?? ''),
      appSecret: sandbox ? ks.appSecret : (e.KUAISHOU_APP_SECRET ?? ''),
      signSecret: sandbox ? ks.signSecret : (e.KUAISHOU_SIGN_SECRET ?? ''),
      messageSecret: sandbox ? ks.messageSecret : (e.KUAISHOU_MESSAGE_SECRET ?? ''),
      signMethod: e.KUAISHOU_SIGN_METHOD,
      apiBaseUrl: (
        e.KUAISHOU_API_BASE_URL ?? (sandbox ? sandboxUrl(e.SANDBOX_KUAISHOU_PORT) : 'https://openapi.kwaixiaodian.com')
      ).replace(/\/$/, ''),
      authorizeUrl:
        e.KUAISHOU_AUTHORIZE_URL ??
        (sandbox
          ? `${sandboxUrl(e.SANDBOX_KUAISHOU_PORT)}/oauth/authorize`
          : 'https://open.kwaixiaodian.com/oauth/authorize'),
      scopes: (
        e.KUAISHOU_SCOPES ??
        'user_info,merchant_user,merchant_item,merchant_order,merchant_refund,merchant_logistics,merchant_promotion'
      ).split(','),
      rateLimits: parseRateLimits(e.KUAISHOU_RATE_LIMITS),
      shopQps: e.KUAISHOU_SHOP_QPS,
    },
    youzan: {
      clientId: sandbox ? yz.clientId : (e.YOUZAN_CLIENT_ID ?? ''),
      clientSecret: sandbox ? yz.clientSecret : (e.YOUZAN_CLIENT_SECRET ?? ''),
      authorizeType: e.YOUZAN_AUTHORIZE_TYPE,
      apiBaseUrl: (
        e.YOUZAN_API_BASE_URL ?? (sandbox ? sandboxUrl(e.SANDBOX_YOUZAN_PORT) : 'https://open.youzanyun.com')
      ).replace(/\/$/, ''),
      authorizeUrl:
        e.YOUZAN_AUTHORIZE_URL ??
        (sandbox
          ? `${sandboxUrl(e.SANDBOX_YOUZAN_PORT)}/oauth/authorize`
          : 'https://diy.youzanyun.com/oauth/authorize'),
      rateLimits: parseRateLimits(e.YOUZAN_RATE_LIMITS),
      shopQps: e.YOUZAN_SHOP_QPS,
    },
  };
}

const REAL_SHOPS = 'outside sandbox mode (platform credentials are configured), whatever NODE_ENV says';

/** Real shops never run on a secret that is printed in this repository. */
function refusePublicSecrets(e: ParsedEnv, problems: { variable: string; message: string }[]): void {
  if (!e.ERP_WEBHOOK_SECRET) problems.push({ variable: 'ERP_WEBHOOK_SECRET', message: `is required ${REAL_SHOPS}` });
  else if (e.ERP_WEBHOOK_SECRET === SANDBOX_ERP_SECRET)
    problems.push({ variable: 'ERP_WEBHOOK_SECRET', message: 'is the public sandbox secret; set one of your own' });
  const ks = SANDBOX_CREDENTIALS.kuaishou;
  const yz = SANDBOX_CREDENTIALS.youzan;
  const publicValues: [keyof ParsedEnv, string][] = [
    ['KUAISHOU_APP_SECRET', ks.appSecret],
    ['KUAISHOU_SIGN_SECRET', ks.signSecret],
    ['KUAISHOU_MESSAGE_SECRET', ks.messageSecret],
    ['YOUZAN_CLIENT_SECRET', yz.clientSecret],
  ];
  for (const [variable, value] of publicValues) {
    if (e[variable] === value)
      problems.push({
        variable,
        message: 'is the public sandbox credential of the bundled emulator; set the one from the platform console',
      });
  }
}

function resolveEncryption(
  e: ParsedEnv,
  dataDir: string,
  sandbox: boolean,
  problems: { variable: string; message: string }[],
): AppConfigShape['encryption'] {
  if (e.ENCRYPTION_KEYS) {
    const keys = e.ENCRYPTION_KEYS.split(',').map((pair) => {
      const [id, b64] = pair.split(':');
      return { id, key: Buffer.from(b64, 'base64') };
    });
    for (const k of keys) {
      if (k.key.length !== 32)
        problems.push({ variable: 'ENCRYPTION_KEYS', message: `key ${k.id} must decode to 32 bytes` });
    }
    const activeKeyId = e.ENCRYPTION_ACTIVE_KEY_ID ?? keys[0].id;
    if (!keys.some((k) => k.id === activeKeyId))
      problems.push({ variable: 'ENCRYPTION_ACTIVE_KEY_ID', message: `names no key in ENCRYPTION_KEYS` });
    return { keys, activeKeyId, generated: false };
  }
  if (!sandbox || e.NODE_ENV === 'production') {
    problems.push({
      variable: 'ENCRYPTION_KEYS',
      message: sandbox ? 'is required in production' : `is required ${REAL_SHOPS}`,
    });
    return { keys: [], activeKeyId: '', generated: false };
  }
  // Sandbox only: one local key generated on first start and kept beside the embedded database.
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return {
    keys: [{ id: 'local', key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') }],
    activeKeyId: 'local',
    generated: true,
  };
}
