/**
 * The platform's clock as its servers state it (the HTTP `Date` header of every answer).
 * Order `updateTime`s are stamped by that clock, so poll windows are computed in it.
 */
export class PlatformClockObserver {
  private offset: number | undefined;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** `Date` has whole seconds: the platform's clock is within [local + offset, local + offset + 1 s]. */
  observe(dateHeader: unknown): void {
    if (typeof dateHeader !== 'string') return;
    const stated = Date.parse(dateHeader);
    if (Number.isFinite(stated)) this.offset = stated - this.localNow();
  }

  /** Platform time minus local time, rounded down to the header's second; undefined before any answer. */
  offsetMs(): number | undefined {
    return this.offset;
  }
}
