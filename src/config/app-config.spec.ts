import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_SCHEMA } from './config.schema';
import { ConfigError, loadConfig, SANDBOX_CREDENTIALS, SANDBOX_ERP_SECRET } from './app-config';
import { REAL_SHOP_CREDENTIALS } from '@test/support/real-shops';

const dataDir = () => mkdtempSync(join(tmpdir(), 'kwaizan-config-'));

describe('loadConfig', () => {
  it('boots on embedded defaults with nothing set: SQLite file, in-process bus, sandbox platforms', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.database).toMatchObject({ kind: 'sqlite', file: join(dir, 'kwaizan.sqlite'), runMigrations: true });
    expect(config.kafka).toBeUndefined();
    expect(config.platforms.sandbox).toBe(true);
    expect(config.platforms.kuaishou.apiBaseUrl).toBe('http://127.0.0.1:3101');
    expect(config.encryption.generated).toBe(true);
    // The generated key is kept, so tokens stay readable after a restart.
    expect(loadConfig({ DATA_DIR: dir }).encryption.keys[0].key).toEqual(config.encryption.keys[0].key);
  });

  it('uses MySQL and Kafka when their variables are set', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'mariadb://root@db:3306/kwaizan',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config.database).toMatchObject({ kind: 'mysql', url: 'mysql://root@db:3306/kwaizan' });
    expect(config.kafka?.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('rejects a bad configuration with one error naming every bad variable', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        DATA_DIR: dataDir(),
        PORT: 'eighty',
        DATABASE_URL: 'postgres://x/y',
        KAFKA_BROKERS: 'no-port',
        LOG_LEVEL: 'loud',
        ENCRYPTION_KEYS: 'k1:c2hvcnQ=',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
      'PORT',
    ]);
    expect(error!.message).toContain('PORT');
    expect(error!.message).toContain('DATABASE_URL must be a mysql:// or mariadb:// URL');
  });

  it('reports semantic problems together too', () => {
    expect(() =>
      loadConfig({
        DATA_DIR: dataDir(),
        ENCRYPTION_KEYS: 'k1:c2hvcnQ=',
        KAFKA_SASL_MECHANISM: 'plain',
        KUAISHOU_APP_KEY: 'ks1',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.objectContaining({ variable: 'ENCRYPTION_KEYS' }),
          expect.objectContaining({ variable: 'KAFKA_SASL_USERNAME' }),
          expect.objectContaining({ variable: 'KUAISHOU_APP_SECRET' }),
          expect.objectContaining({ variable: 'YOUZAN_CLIENT_ID' }),
        ]),
      }),
    );
  });

  it('refuses embedded secrets and sandbox platforms in production', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production' })).toThrow(
      /ENCRYPTION_KEYS is required in production/,
    );
  });

  describe('outside sandbox mode', () => {
    const realShops = REAL_SHOP_CREDENTIALS;
    const realKeys = {
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      ERP_WEBHOOK_SECRET: 'a-real-erp-secret-of-our-own',
    };
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig({ DATA_DIR: dataDir(), ...env });
      } catch (e) {
        return (e as ConfigError).problems.map((p) => p.variable).sort();
      }
      return [];
    };

    it.each(['development', 'test', 'production'])(
      'requires real ERP and encryption secrets with NODE_ENV=%s',
      (nodeEnv) => {
        expect(problemsOf({ NODE_ENV: nodeEnv, ...realShops })).toEqual(['ENCRYPTION_KEYS', 'ERP_WEBHOOK_SECRET']);
        expect(problemsOf({ NODE_ENV: nodeEnv, ...realShops, ...realKeys })).toEqual([]);
      },
    );

    it('refuses the public sandbox secrets and credentials', () => {
      expect(problemsOf({ ...realShops, ...realKeys, ERP_WEBHOOK_SECRET: SANDBOX_ERP_SECRET })).toEqual([
        'ERP_WEBHOOK_SECRET',
      ]);
      const ks = SANDBOX_CREDENTIALS.kuaishou;
      expect(
        problemsOf({
          ...realShops,
          ...realKeys,
          KUAISHOU_APP_SECRET: ks.appSecret,
          KUAISHOU_SIGN_SECRET: ks.signSecret,
          KUAISHOU_MESSAGE_SECRET: ks.messageSecret,
          YOUZAN_CLIENT_SECRET: SANDBOX_CREDENTIALS.youzan.clientSecret,
        }),
      ).toEqual(['KUAISHOU_APP_SECRET', 'KUAISHOU_MESSAGE_SECRET', 'KUAISHOU_SIGN_SECRET', 'YOUZAN_CLIENT_SECRET']);
    });

    it('never sends the emulator-only operation id header to the real platforms unless told to', () => {
      expect(loadConfig({ DATA_DIR: dataDir(), ...realShops, ...realKeys }).platforms.sendOperationId).toBe(false);
      expect(
        loadConfig({ DATA_DIR: dataDir(), ...realShops, ...realKeys, PLATFORM_OPERATION_ID_HEADER: 'true' }).platforms
          .sendOperationId,
      ).toBe(true);
      expect(loadConfig({ DATA_DIR: dataDir() }).platforms.sendOperationId).toBe(true);
    });

    it('generates no local key and uses no sandbox secret', () => {
      const config = loadConfig({ DATA_DIR: dataDir(), ...realShops, ...realKeys });
      expect(config.encryption.generated).toBe(false);
      expect(config.erp.webhookSecret).toBe(realKeys.ERP_WEBHOOK_SECRET);
    });
  });

  it('keeps the sandbox secrets to sandbox mode', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'development' });
    expect(config.erp.webhookSecret).toBe(SANDBOX_ERP_SECRET);
    expect(config.encryption.generated).toBe(true);
  });

  it('documents every variable in .env.example and the README', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const name of Object.keys(ENV_SCHEMA)) {
      expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
      expect(readme).toContain(`\`${name}\``);
    }
  });
});
