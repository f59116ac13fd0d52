import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { ConflictDomainException, FieldError, InvalidInputException } from '@app/common/errors/domain.exception';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { OpsSettingChangeEntity } from './ops-setting-change.entity';
import { OpsSettingEntity } from './ops-setting.entity';
import {
  OPS_SETTING_DEFINITIONS,
  OpsSettingDefinition,
  OpsSettingKey,
  OpsSettings,
  opsSettingDefaults,
} from './ops-settings.definitions';
import { OpsSettingsRepository } from './ops-settings.repository';

/** How long an instance serves settings from memory; a change made elsewhere applies within this. */
export const OPS_SETTINGS_CACHE_MS = 5_000;

/** A change request: a value, or null to go back to the default. */
export type OpsSettingsChange = Partial<Record<OpsSettingKey, number | number[] | null>>;

export interface OpsSettingState {
  definition: OpsSettingDefinition;
  value: number | number[];
  defaultValue: number | number[];
  override: OpsSettingEntity | null;
}

export interface SettingsActor {
  userId: string;
  email: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Run-time settings with the environment as defaults. Every instance reads them through a short cache,
 * so a change applies everywhere within OPS_SETTINGS_CACHE_MS without a restart.
 */
@Injectable()
export class OpsSettingsService {
  private cached?: { at: number; settings: OpsSettings; overrides: OpsSettingEntity[] };
  private readonly defaults: OpsSettings;

  constructor(
    private readonly db: Db,
    private readonly repo: OpsSettingsRepository,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.defaults = opsSettingDefaults(config);
  }

  async current(): Promise<OpsSettings> {
    return (await this.load()).settings;
  }

  async list(): Promise<OpsSettingState[]> {
    const { settings, overrides } = await this.load(true);
    return OPS_SETTING_DEFINITIONS.map((definition) => ({
      definition,
      value: settings[definition.key],
      defaultValue: this.defaults[definition.key],
      override: overrides.find((o) => o.name === definition.key) ?? null,
    }));
  }

  recentChanges(limit = 50): Promise<OpsSettingChangeEntity[]> {
    return this.repo.recentChanges(limit);
  }

  /** Validates the whole request first: one bad field and nothing is written. Each change is audited. */
  async update(actor: SettingsActor, input: Record<string, unknown>): Promise<{ changed: number }> {
    const change = validateOpsSettingsChange(input);
    const now = this.clock.now();
    let changed = 0;
    try {
      await this.db.transaction(async () => {
        changed = 0;
        for (const [key, requested] of Object.entries(change) as [OpsSettingKey, number | number[] | null][]) {
          const existing = await this.repo.lockOverride(key);
          const definition = OPS_SETTING_DEFINITIONS.find((d) => d.key === key)!;
          const oldValue = (existing && storedValue(definition, existing.value)) ?? this.defaults[key];
          const newValue = requested ?? this.defaults[key];
          if (requested === null ? !existing : same(oldValue, requested)) continue;
          if (requested === null) await this.repo.deleteOverride(key);
          else
            await this.repo.saveOverride(
              Object.assign(new OpsSettingEntity(), {
                name: key,
                value: JSON.stringify(requested),
                updatedAt: now,
                updatedBy: actor.email,
              }),
            );
          await this.repo.insertChange({
            name: key,
            oldValue,
            newValue,
            changedByUserId: actor.userId,
            changedBy: actor.email,
            changedAt: now,
          });
          changed++;
        }
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictDomainException(
          'SETTING_CHANGED_CONCURRENTLY',
          'another admin changed the same setting at the same time; reload and try again',
        );
      throw error;
    }
    this.cached = undefined;
    return { changed };
  }

  private async load(fresh = false): Promise<NonNullable<OpsSettingsService['cached']>> {
    if (!fresh && this.cached && performance.now() - this.cached.at < OPS_SETTINGS_CACHE_MS) return this.cached;
    const settings = { ...this.defaults };
    const overrides: OpsSettingEntity[] = [];
    for (const row of await this.repo.listOverrides()) {
      const definition = OPS_SETTING_DEFINITIONS.find((d) => d.key === row.name);
      // A row from a newer release or edited by hand that no longer fits is ignored, not obeyed.
      const value = definition && storedValue(definition, row.value);
      if (!definition || value === undefined) continue;
      Object.assign(settings, { [definition.key]: value });
      overrides.push(row);
    }
    this.cached = { at: performance.now(), settings, overrides };
    return this.cached;
  }
}

function storedValue(d: OpsSettingDefinition, text: string): number | number[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return problemsOf(d, value).length === 0 ? (value as number | number[]) : undefined;
  } catch {
    return undefined;
  }
}

function problemsOf(d: OpsSettingDefinition, value: unknown): string[] {
  const intIn = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
  if (d.kind === 'int')
    return intIn(value, d.min, d.max) ? [] : [`must be a whole number from ${d.min} to ${d.max} (${d.unit})`];
  const items = d.items!;
  if (!Array.isArray(value) || value.length < d.min || value.length > d.max)
    return [`must be a list of ${d.min} to ${d.max} numbers`];
  return value.every((v) => intIn(v, items.min, items.max))
    ? []
    : [`each must be a whole number from ${items.min} to ${items.max} (${d.unit})`];
}

/** Names at least one known setting, each a valid value or null (back to the default). */
export function validateOpsSettingsChange(input: Record<string, unknown>): OpsSettingsChange {
  const fields: FieldError[] = [];
  const change: OpsSettingsChange = {};
  for (const [key, value] of Object.entries(input)) {
    const definition = OPS_SETTING_DEFINITIONS.find((d) => d.key === key);
    if (!definition) {
      fields.push({ field: key, messages: ['is not an ops setting'] });
      continue;
    }
    if (value === undefined) continue;
    const problems = value === null ? [] : problemsOf(definition, value);
    if (problems.length) fields.push({ field: key, messages: problems });
    else change[definition.key] = value as number | number[] | null;
  }
  if (fields.length)
    throw new InvalidInputException('INVALID_SETTINGS', 'Some settings are invalid; nothing was changed.', fields);
  if (Object.keys(change).length === 0) {
    throw new InvalidInputException('NO_SETTINGS', 'Name at least one setting to change.', [
      { field: 'body', messages: ['names no setting'] },
    ]);
  }
  return change;
}
