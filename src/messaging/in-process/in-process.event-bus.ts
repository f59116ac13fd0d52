import { EventEnvelope } from '../event-envelope';
import { BusHealth, EventBus, EventSubscription } from '../event-bus.port';

/**
 * Embedded bus: the outbox table is the log. `publish` hands each event to every subscribed
 * consumer and resolves when they are done, so the relay marks a row sent only after delivery;
 * a crash before that leaves it pending and it is delivered again (at-least-once, deduped by
 * each consumer's inbox). The relay keeps one lane per key, so order per key holds.
 */
export class InProcessEventBus implements EventBus {
  readonly kind = 'in-process' as const;
  readonly parallelKeys = true;
  private readonly subscriptions = new Map<string, EventSubscription[]>();
  private started = false;

  subscribe(subscription: EventSubscription): void {
    const list = this.subscriptions.get(subscription.topic) ?? [];
    list.push(subscription);
    this.subscriptions.set(subscription.topic, list);
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (!this.started) throw new Error('in-process bus is stopped');
    for (const event of events) {
      for (const subscription of this.subscriptions.get(event.topic) ?? []) {
        await subscription.deliver(event);
      }
    }
  }

  async health(): Promise<BusHealth> {
    return { up: this.started, kind: this.kind, detail: this.started ? undefined : 'stopped' };
  }
}
