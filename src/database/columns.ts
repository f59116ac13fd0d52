import { ValueTransformer } from 'typeorm';

/** bigint columns holding epoch milliseconds or counters come back from mysql2 as strings. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/** JSON kept in a text column (dialect-neutral; MySQL's JSON type does not exist in SQLite). */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : value === null ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? value : JSON.parse(value)),
};
