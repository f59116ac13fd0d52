import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export type ClassType<T> = new () => T;

/** One Kafka topic: versioned name, validated payload class, and how its key is derived. */
export interface TopicContract<P extends object> {
  name: string;
  payload: ClassType<P>;
  key(payload: P): string;
}

export function defineTopic<P extends object>(contract: TopicContract<P>): TopicContract<P> {
  if (!/^kwaizan\.[a-z-]+\.[a-z-]+\.v\d+$/.test(contract.name))
    throw new Error(`topic name ${contract.name} breaks the naming rule`);
  return contract;
}

export class InvalidEventPayloadError extends Error {
  constructor(
    topic: string,
    readonly errors: string[],
  ) {
    super(`invalid payload for ${topic}: ${errors.join('; ')}`);
    this.name = 'InvalidEventPayloadError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
  });
}

/** Validates a payload against its contract, both when producing and when consuming. */
export function validatePayload<P extends object>(contract: TopicContract<P>, raw: unknown): P {
  const instance = plainToInstance(contract.payload, raw);
  const errors = validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length) throw new InvalidEventPayloadError(contract.name, flatten(errors));
  return instance;
}
