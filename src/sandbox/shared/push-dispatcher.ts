import axios from 'axios';
import { Counters } from './counters';
import { FaultInjector } from './fault-injector';

export interface PushMessage {
  /** Platform message id, for logs. */
  id: string;
  /** Builds the HTTP request of one delivery attempt (a retry may carry a send count). */
  build(attempt: number): { body: string; headers: Record<string, string> };
}

export interface PushDispatcherOptions {
  /** Delays before each retry after a failed delivery (the platforms use minutes; tests use ms). */
  retryDelaysMs: number[];
  timeoutMs: number;
  /** Whether the receiver's answer acknowledges the message. */
  isAck(status: number, body: string): boolean;
}

/**
 * At-least-once delivery of push messages to the configured URL, with the platform's retry
 * behaviour, plus injected loss, duplication and delay.
 */
export class PushDispatcher {
  private targetUrl?: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly options: PushDispatcherOptions,
    private readonly faults: FaultInjector,
    private readonly counters: Counters,
  ) {}

  setTarget(url: string | undefined): void {
    this.targetUrl = url;
  }

  get target(): string | undefined {
    return this.targetUrl;
  }

  send(message: PushMessage): void {
    if (!this.targetUrl || this.stopped) return;
    this.counters.push.sent++;
    const { lossRate, duplicateRate, delayMs } = this.faults.push;
    if (this.faults.random.chance(lossRate)) {
      this.counters.push.lost++;
      this.counters.fault('push_lost');
      return;
    }
    const copies = this.faults.random.chance(duplicateRate) ? 2 : 1;
    if (copies === 2) {
      this.counters.push.duplicated++;
      this.counters.fault('push_duplicated');
    }
    if (delayMs > 0) this.counters.fault('push_delayed');
    for (let i = 0; i < copies; i++) this.schedule(message, 1, delayMs + i * 5);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(message: PushMessage, attempt: number, delayMs: number): void {
    this.counters.push.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.counters.push.pending--;
      void this.deliver(message, attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(message: PushMessage, attempt: number): Promise<void> {
    const url = this.targetUrl;
    if (!url || this.stopped) return;
    const { body, headers } = message.build(attempt);
    let acked = false;
    try {
      const res = await axios.post<string>(url, body, {
        headers,
        timeout: this.options.timeoutMs,
        responseType: 'text',
        transformResponse: (d: string) => d,
        validateStatus: () => true,
      });
      this.counters.push.delivered++;
      acked = this.options.isAck(res.status, typeof res.data === 'string' ? res.data : String(res.data));
    } catch {
      acked = false;
    }
    if (acked) {
      this.counters.push.acknowledged++;
      return;
    }
    this.counters.push.failedAttempts++;
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (delay !== undefined) this.schedule(message, attempt + 1, delay);
  }
}
