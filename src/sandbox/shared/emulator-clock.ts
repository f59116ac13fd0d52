import type { RequestHandler } from 'express';

/** The emulator's own time: real time plus an offset a test can move forward. */
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

/** Real servers state their own time in every answer's `Date` header; so does the emulator, in its clock. */
export function dateHeader(clock: EmulatorClock): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Date', new Date(clock.now()).toUTCString());
    next();
  };
}
