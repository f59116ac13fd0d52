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
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Runtime mode; production refuses embedded secrets.'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the HTTP server binds to.'),
  PORT: port.default(3000).describe('HTTP port of the service.'),
  PUBLIC_BASE_URL: url.optional().describe('Externally visible base URL (OAuth callbacks, links). Default http://localhost:$PORT.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level of the JSON logs.'),
  LOG_PRETTY: bool.default(false).describe('Human-readable logs instead of JSON (development only).'),
  DATA_DIR: z.string().min(1).default('data').describe('Folder for the embedded database file and generated local secrets.'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// or mariadb:// URL')
    .optional()
    .describe('MySQL/MariaDB URL. Unset: embedded SQLite file under DATA_DIR (no server needed).'),
  DATABASE_POOL_SIZE: positiveInt.default(10).describe('MySQL connection pool size.'),
  SKIP_MIGRATIONS: bool.default(false).describe('Do not run migrations at boot (run `npm run migration:run` instead).'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]')
    .optional()
    .describe('Kafka bootstrap brokers. Unset: events are delivered in-process from the outbox.'),
  KAFKA_CLIENT_ID: z.string().min(1).default('kwaizan-sync').describe('Kafka client id.'),
  KAFKA_GROUP_PREFIX: z.string().min(1).default('kwaizan').describe('Prefix of Kafka consumer group ids (one group per consumer).'),
  KAFKA_SSL: bool.default(false).describe('Use TLS to reach Kafka.'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional().describe('SASL mechanism for Kafka.'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user name for Kafka.'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password for Kafka (secret).'),
  OUTBOX_POLL_INTERVAL_MS: positiveInt.default(250).describe('How often the outbox relay looks for unpublished events when not woken by a commit.'),
  OUTBOX_BATCH_SIZE: positiveInt.default(500).describe('Events the relay reads per round.'),
  CONSUMER_MAX_ATTEMPTS: positiveInt.default(5).describe('Attempts per event before it becomes a sync-failure record (dead letter).'),
  CONSUMER_RETRY_BASE_MS: positiveInt.default(200).describe('Base delay of the consumer retry backoff.'),
  ENCRYPTION_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/, 'must be keyId:base64key[,keyId:base64key…]')
    .optional()
    .describe('AES-256-GCM keys for tokens at rest (secret). Unset outside production: a key generated once under DATA_DIR.'),
  ENCRYPTION_ACTIVE_KEY_ID: z.string().optional().describe('Key id used for new encryptions. Default: the first key of ENCRYPTION_KEYS.'),
} as const;

export type EnvName = keyof typeof ENV_SCHEMA;
export const envSchema = z.object(ENV_SCHEMA);
export type ParsedEnv = z.infer<typeof envSchema>;
