import 'reflect-metadata';
import { PARAMTYPES_METADATA, SELF_DECLARED_DEPS_METADATA } from '@nestjs/common/constants';
import { Logger, Type } from '@nestjs/common';
import { TestBed, type Mocked } from '@suites/unit';
import { CLOCK, ManualClock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { AppConfig, AppConfigShape } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { opsSettingDefaults } from '@app/ops/settings/ops-settings.definitions';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { unitConfig } from './unit-config';

/** Ids that say in which order they were made: `id-1`, `id-2`, … */
export class SequentialIds implements IdGenerator {
  private next = 0;
  uuid(): string {
    return `id-${++this.next}`;
  }
}

export interface TestService<T> {
  sut: T;
  /** Every other dependency, auto-mocked (jest doubles); `mocks.get(UsersRepository).findById.mockResolvedValue(…)`. */
  mocks: { get<D>(identifier: Type<D> | string | symbol): Mocked<D> };
  /** The injected clock (when the service takes one): move it to test expiry and schedules. */
  clock: ManualClock;
  ids: SequentialIds;
  config: AppConfigShape;
  /** A real registry, so a test reads counters from it instead of from a stub. */
  metrics: MetricsService;
  /** The Db double: `transaction(work)` runs `work` at once (no database); calls are recorded. */
  db: Mocked<Db>;
}

export interface TestServiceOptions {
  config?: AppConfigShape;
  /** Real collaborators by identifier (class or token), e.g. a fake repository that keeps rows in memory. */
  provide?: [Type<unknown> | string | symbol, unknown][];
}

/**
 * A service with its dependencies auto-mocked (immich's `newTestService`, on Suites): the clock, ids,
 * config, metrics and the transaction runner are real or deterministic, everything else is a typed
 * jest double read from the constructor's DI metadata. Only dependencies the service has are set.
 */
export async function newTestService<T>(service: Type<T>, options: TestServiceOptions = {}): Promise<TestService<T>> {
  // Services log what they decide; unit tests assert on it instead (TEST_LOG_LEVEL brings the logs back).
  if (!process.env.TEST_LOG_LEVEL) Logger.overrideLogger(false);
  const clock = new ManualClock();
  const ids = new SequentialIds();
  const config = options.config ?? unitConfig();
  const metrics = new MetricsService();
  const deps = dependenciesOf(service);
  for (const [identifier] of options.provide ?? []) {
    // A collaborator the service does not take would silently change nothing.
    if (!deps.has(identifier)) throw new Error(`${service.name} does not inject ${nameOf(identifier)}`);
  }
  const builder = TestBed.solitary(service);
  const defaults: [unknown, unknown][] = [
    [CLOCK, clock],
    [ID_GENERATOR, ids],
    [AppConfig, config],
    [MetricsService, metrics],
    // Run-time ops settings at their defaults (the environment's values), as with no admin change.
    [OpsSettingsService, { current: async () => opsSettingDefaults(config) }],
    ...(options.provide ?? []),
  ];
  // Later entries (the test's own) win over the defaults.
  for (const [identifier, value] of new Map(defaults)) {
    if (deps.has(identifier)) builder.mock(identifier as Type<unknown>).final(value as never);
  }
  if (deps.has(Db)) {
    builder.mock(Db).impl((stub) => ({
      transaction: stub().mockImplementation((work: (manager: unknown) => Promise<unknown>) => work(undefined)),
      inTransaction: true,
    }));
  }
  const { unit, unitRef } = await builder.compile();
  const db = deps.has(Db) ? unitRef.get(Db) : (undefined as unknown as Mocked<Db>);
  return { sut: unit, mocks: unitRef, clock, ids, config, metrics, db };
}

/** The identifiers Nest would inject: constructor types, with `@Inject(TOKEN)` overriding by position. */
function dependenciesOf(service: Type<unknown>): Set<unknown> {
  const types: unknown[] = [...(Reflect.getMetadata(PARAMTYPES_METADATA, service) ?? [])];
  const tokens: { index: number; param: unknown }[] = Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, service) ?? [];
  for (const { index, param } of tokens) types[index] = param;
  return new Set(types);
}

function nameOf(identifier: unknown): string {
  return typeof identifier === 'function' ? identifier.name : String(identifier);
}
