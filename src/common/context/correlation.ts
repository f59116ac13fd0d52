import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

type Source = 'http' | 'message' | 'job';

interface CorrelationStore {
  correlationId: string;
  source: Source;
}

const storage = new AsyncLocalStorage<CorrelationStore>();

/** Correlation id of the request, message or job being handled, for logs and error bodies. */
export const Correlation = {
  run<T>(correlationId: string | undefined, fn: () => T, source: Source = 'message'): T {
    return storage.run({ correlationId: correlationId || randomUUID(), source }, fn);
  },
  id(): string | undefined {
    return storage.getStore()?.correlationId;
  },
  source(): Source | undefined {
    return storage.getStore()?.source;
  },
};
