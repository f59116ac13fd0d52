import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535);
const positiveInt = z.coerce.number({ message: 'must be a whole number' }).int().positive();
const url = z.url({ message: 'must be a URL' });

/**
 * Every environment variable the service reads. Descriptions are the documentation:
 * `.env.example` and the README table are checked against this list by a test.
 */
export const ENV_SCHEMA = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      'Runtime mode; production refuses sandbox mode. Secrets are required outside sandbox mode whatever this says.',
    ),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the HTTP server binds to.'),
  PORT: port.default(3000).describe('HTTP port of the service.'),
  PUBLIC_BASE_URL: url
    .optional()
    .describe('Externally visible base URL (OAuth callbacks, links). Default http://localhost:$PORT.'),
  HTTP_BODY_LIMIT_KB: positiveInt
    .default(1024)
    .describe(
      'Largest request body in KiB (JSON, forms, pushes); larger ones get 413. Fits the largest documented ERP delivery (500 updates with 200-character titles, about 400 KiB).',
    ),
  HTTP_BODY_MAX_DEPTH: positiveInt
    .max(64)
    .default(16)
    .describe('Deepest nesting of arrays/objects in a JSON API body; deeper ones get 400.'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/,
      'must be false, true, a hop count or proxy addresses',
    )
    .default('false')
    .describe(
      "Express `trust proxy`: false (default: the client address is the socket peer), a hop count, or the proxies' addresses/subnets (comma-separated). Set it only behind a proxy you run.",
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level of the JSON logs.'),
  LOG_PRETTY: bool.default(false).describe('Human-readable logs instead of JSON (development only).'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder for the embedded database file and generated local secrets.'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// or mariadb:// URL')
    .optional()
    .describe('MySQL/MariaDB URL. Unset: embedded SQLite file under DATA_DIR (no server needed).'),
  DATABASE_POOL_SIZE: positiveInt.default(20).describe('MySQL connection pool size.'),
  SKIP_MIGRATIONS: bool.default(false).describe('Do not run migrations at boot (run `npm run migration:run` instead).'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]')
    .optional()
    .describe('Kafka bootstrap brokers. Unset: events are delivered in-process from the outbox.'),
  KAFKA_CLIENT_ID: z.string().min(1).default('kwaizan-sync').describe('Kafka client id.'),
  KAFKA_GROUP_PREFIX: z
    .string()
    .min(1)
    .default('kwaizan')
    .describe('Prefix of Kafka consumer group ids (one group per consumer).'),
  KAFKA_SSL: bool.default(false).describe('Use TLS to reach Kafka.'),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'])
    .optional()
    .describe('SASL mechanism for Kafka.'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user name for Kafka.'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password for Kafka (secret).'),
  OUTBOX_POLL_INTERVAL_MS: positiveInt
    .default(250)
    .describe('How often the outbox relay looks for unpublished events when not woken by a commit.'),
  OUTBOX_BATCH_SIZE: positiveInt.default(500).describe('Events the relay reads per round.'),
  CONSUMER_MAX_ATTEMPTS: positiveInt
    .default(5)
    .describe(
      'Fewest attempts per event before it becomes a sync-failure record (dead letter); see also CONSUMER_RETRY_WINDOW_MS.',
    ),
  CONSUMER_RETRY_BASE_MS: positiveInt.default(200).describe('Base delay of the consumer retry backoff.'),
  CONSUMER_RETRY_MAX_DELAY_MS: positiveInt
    .default(30_000)
    .describe('Longest pause between two in-lane retries of one event.'),
  CONSUMER_RETRY_WINDOW_MS: positiveInt
    .default(600_000)
    .describe(
      'How long a failing event is retried in its key’s lane (later events of that key wait) before it becomes a dead letter; outlasts brief platform outages.',
    ),
  FAILURE_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be ms[,ms…]')
    .default('15000,30000,60000,120000,300000,900000,1800000')
    .describe(
      'Delays of the automatic retries of an open sync failure, one per retry; the last repeats until it is resolved (the default of the ops setting failureRetryDelaysMs).',
    ),
  KAFKA_NEW_GROUP_LOOKBACK_MS: positiveInt
    .default(3_600_000)
    .describe(
      'A consumer group with no committed offset handles only records produced at most this long before it started; older ones are skipped.',
    ),
  KAFKA_SESSION_TIMEOUT_MS: positiveInt
    .default(6_000)
    .describe(
      'Kafka consumer session timeout: a member silent this long is evicted and its partitions resume on the others (6000 is the smallest a default Kafka broker accepts).',
    ),
  KAFKA_HEARTBEAT_INTERVAL_MS: positiveInt
    .default(1_000)
    .describe(
      'Kafka consumer heartbeat interval; handlers heartbeat at this pace while they run. Below the session timeout.',
    ),
  KAFKA_REBALANCE_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('How long a Kafka rebalance waits for the members to rejoin.'),
  KAFKA_RESTART_INITIAL_DELAY_MS: positiveInt
    .default(1_000)
    .describe('First delay before a crashed Kafka consumer is restarted; doubles per failed attempt.'),
  KAFKA_RESTART_MAX_DELAY_MS: positiveInt
    .default(30_000)
    .describe('Longest delay between restart attempts of a crashed Kafka consumer.'),
  ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/,
      'must be keyId:base64key[,keyId:base64key…]',
    )
    .optional()
    .describe(
      'AES-256-GCM keys for tokens at rest (secret). Required outside sandbox mode; in sandbox mode, unset: a key generated once under DATA_DIR.',
    ),
  ENCRYPTION_ACTIVE_KEY_ID: z
    .string()
    .optional()
    .describe('Key id used for new encryptions. Default: the first key of ENCRYPTION_KEYS.'),
  PLATFORM_OPERATION_ID_HEADER: bool
    .optional()
    .describe(
      'Send the emulator-only x-kwaizan-operation-id header on stock writes (the emulators count double applies with it). Default: on in sandbox mode only; never needed with the real platforms.',
    ),
  PLATFORM_HTTP_TIMEOUT_MS: positiveInt.default(10_000).describe('Timeout of one platform API call.'),
  PLATFORM_RETRY_ATTEMPTS: positiveInt
    .default(3)
    .describe('Attempts for platform calls that are safe to repeat (reads, absolute writes).'),
  PLATFORM_BREAKER_ERROR_PERCENT: positiveInt
    .max(100)
    .default(50)
    .describe('Failure percentage that opens a platform circuit breaker.'),
  PLATFORM_BREAKER_VOLUME: positiveInt.default(10).describe('Calls in the window before the breaker may open.'),
  PLATFORM_BREAKER_RESET_MS: positiveInt
    .default(15_000)
    .describe('How long an open breaker waits before letting a trial call through.'),
  KUAISHOU_APP_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Kuaishou appKey. Unset (with YOUZAN_CLIENT_ID unset too): sandbox mode against the bundled emulator.'),
  KUAISHOU_APP_SECRET: z.string().min(1).optional().describe('Kuaishou appSecret (secret).'),
  KUAISHOU_SIGN_SECRET: z.string().min(1).optional().describe('Kuaishou signSecret used to sign API calls (secret).'),
  KUAISHOU_MESSAGE_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9+/=]+$/, 'must be Base64')
    .optional()
    .describe('Kuaishou push message AES key, Base64 as shown in the console (secret).'),
  KUAISHOU_SIGN_METHOD: z
    .enum(['HMAC_SHA256', 'MD5'])
    .default('HMAC_SHA256')
    .describe('Signature method for Kuaishou calls.'),
  KUAISHOU_API_BASE_URL: url
    .optional()
    .describe('Kuaishou API gateway. Default https://openapi.kwaixiaodian.com (sandbox: the local emulator).'),
  KUAISHOU_AUTHORIZE_URL: url
    .optional()
    .describe('Kuaishou authorize page. Default https://open.kwaixiaodian.com/oauth/authorize.'),
  KUAISHOU_SCOPES: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/, 'must be a comma-separated scope list')
    .optional()
    .describe('Scopes requested from Kuaishou merchants.'),
  KUAISHOU_RATE_LIMITS: z
    .string()
    .regex(/^[a-z.]+=\d+(,[a-z.]+=\d+)*$/, 'must be api=qps[,api=qps…]')
    .optional()
    .describe('Per-API QPS overrides for Kuaishou, e.g. open.item.sku.stock.update=50.'),
  KUAISHOU_SHOP_QPS: positiveInt.default(100).describe('Calls per second per Kuaishou shop.'),
  YOUZAN_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Youzan client_id. Unset (with KUAISHOU_APP_KEY unset too): sandbox mode.'),
  YOUZAN_CLIENT_SECRET: z.string().min(1).optional().describe('Youzan client_secret (secret).'),
  YOUZAN_AUTHORIZE_TYPE: z
    .enum(['authorization_code', 'silent'])
    .default('authorization_code')
    .describe('authorization_code for a tool (marketplace) app; silent for a self-built app (grant by kdt_id).'),
  YOUZAN_API_BASE_URL: url
    .optional()
    .describe('Youzan Cloud gateway. Default https://open.youzanyun.com (sandbox: the local emulator).'),
  YOUZAN_AUTHORIZE_URL: url
    .optional()
    .describe('Youzan authorize page for tool apps. Default https://diy.youzanyun.com/oauth/authorize.'),
  YOUZAN_RATE_LIMITS: z
    .string()
    .regex(/^[a-z.]+=\d+(,[a-z.]+=\d+)*$/, 'must be api=qps[,api=qps…]')
    .optional()
    .describe('Per-API QPS overrides for Youzan, e.g. youzan.item.quantity.update=30.'),
  YOUZAN_SHOP_QPS: positiveInt.default(100).describe('Calls per second per Youzan shop.'),
  ORDER_READ_LAG_KUAISHOU_MS: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(0)
    .default(10_000)
    .describe(
      'How long after a Kuaishou sale took stock its order may still be missing from the order APIs (undocumented; a margin).',
    ),
  ORDER_READ_LAG_YOUZAN_MS: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(0)
    .default(30_000)
    .describe(
      'How long after a Youzan sale took stock its order may still be missing from trades.sold.get / trade.get (documented: at least 30 s).',
    ),
  ORDER_POLL_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe('How often every connected shop is polled for orders (the backstop for lost pushes).'),
  STOCK_WRITER_LEASE_MS: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(1_000, 'must be at least 1000 (ms)')
    .default(15_000)
    .describe(
      "How long a SKU's stock-writer lease lasts without renewal; a live run renews it at every commit and every fifth of this. A writer that died is taken over after at most this long.",
    ),
  ERP_SHIPMENT_COUNT_LAG_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(600_000)
    .describe(
      'An ERP stock report without shippedThrough is taken to include shipments recorded at least this long before it arrived.',
    ),
  ERP_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe(
      'Not used to sign or check anything today (secret): inbound ERP deliveries are checked with per-merchant ERP credentials. Still checked at start-up: required outside sandbox mode, and the public sandbox secret is refused.',
    ),
  ERP_WEBHOOK_TOLERANCE_S: positiveInt
    .default(300)
    .describe('How far an ERP webhook timestamp may be from now, in seconds.'),
  WEBHOOK_RETRY_DELAYS_S: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'must be seconds[,seconds…]')
    .default('60,120,240,480,960,1920,3840,7200')
    .describe(
      'Delays between the attempts of one outbound webhook delivery, in seconds: one attempt more than delays (default 9 attempts over about 4.1 h), then a sync failure.',
    ),
  WEBHOOK_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('Hard deadline of one outbound webhook attempt (connect, send and answer), in ms.'),
  WEBHOOK_ALLOW_PRIVATE_URLS: bool
    .optional()
    .describe(
      'Let outbound webhook URLs reach private, loopback and link-local addresses. Default: on in sandbox mode only; keep it off with real shops (SSRF guard).',
    ),
  SESSION_IDLE_TIMEOUT_S: positiveInt
    .default(7200)
    .describe(
      'A signed-in session ends after this many seconds without a request (the default of the ops setting sessionIdleSeconds).',
    ),
  SESSION_MAX_AGE_S: positiveInt
    .default(43_200)
    .describe('A signed-in session ends this many seconds after sign-in, whatever the activity.'),
  SIGN_IN_MAX_ATTEMPTS: positiveInt
    .default(10)
    .describe(
      'Failed sign-ins per account and address within the window (15 minutes) before sign-in is refused for a while (the default of the ops setting signInMaxAttempts).',
    ),
  SANDBOX_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface the bundled emulators bind to in sandbox mode.'),
  SANDBOX_KUAISHOU_PORT: port
    .default(3101)
    .describe('Port of the Kuaishou emulator in sandbox mode (0 = any free port).'),
  SANDBOX_YOUZAN_PORT: port.default(3102).describe('Port of the Youzan emulator in sandbox mode (0 = any free port).'),
} as const;

export type EnvName = keyof typeof ENV_SCHEMA;
export const envSchema = z.object(ENV_SCHEMA);
export type ParsedEnv = z.infer<typeof envSchema>;
