/**
 * A control-API request (or a buyer's action) an emulator refused: answered with an HTTP status
 * and `{ error: code, message }`, not a platform envelope. Thrown by both emulators' stores.
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** What a control client throws for a refused request (4xx), e.g. 409 `insufficient_stock`. */
export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}
