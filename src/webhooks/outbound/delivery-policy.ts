import { createHash } from 'node:crypto';

/** The delivery row id for one event and one subscription: the same on every repeat of the event. */
export function deliveryIdOf(eventId: string, subscriptionId: string): string {
  const h = createHash('sha256').update(`${eventId}:${subscriptionId}`).digest('hex');
  // Shaped as a version-8 (custom) UUID so it fits the id columns and the API's UUID checks.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What to do after a failed attempt: the delay before the next one, or give up (attempts = delays + 1). */
export function afterFailure(attemptsMade: number, delaysMs: number[]): { retryInMs: number } | 'give_up' {
  if (attemptsMade > delaysMs.length) return 'give_up';
  return { retryInMs: delaysMs[attemptsMade - 1] };
}

/** An answer the endpoint accepted: any 2xx. */
export const isAccepted = (status: number): boolean => status >= 200 && status < 300;
