import { Injectable } from '@nestjs/common';
import { DAY_MS, OpsSettings } from '@app/ops/settings/ops-settings.definitions';

/** One context's purge of its own rows past their retention; returns how many went. */
export interface RetentionPurge {
  /** The key under which the job reports the count (e.g. `pushes`). */
  name: string;
  purge(now: number, settings: OpsSettings): Promise<number>;
}

/** The cutoff for rows kept `days` days: anything older than this goes. */
export function retentionCutoff(now: number, days: number): number {
  return now - days * DAY_MS;
}

/** Contexts register their own purges (each deletes only its own tables); the retention job runs them all. */
@Injectable()
export class RetentionRegistry {
  private readonly purges: RetentionPurge[] = [];

  register(purge: RetentionPurge): void {
    if (this.purges.some((p) => p.name === purge.name))
      throw new Error(`retention purge ${purge.name} registered twice`);
    this.purges.push(purge);
  }

  registered(): readonly RetentionPurge[] {
    return this.purges;
  }
}
