import { EventEmitter } from 'node:events';
import { KafkaEventBus } from './kafka.event-bus';

/** A kafkajs stand-in: records when consumers join and lets the test crash them. */
class FakeConsumer extends EventEmitter {
  readonly events = { CRASH: 'crash', GROUP_JOIN: 'join' };
  disconnected = false;
  constructor(
    readonly groupId: string,
    private readonly world: FakeKafka,
  ) {
    super();
  }
  async connect(): Promise<void> {
    this.world.inFlight += 1;
    this.world.maxInFlight = Math.max(this.world.maxInFlight, this.world.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
  }
  async subscribe(): Promise<void> {}
  async run(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.world.inFlight -= 1;
    if (this.world.failRuns > 0) {
      this.world.failRuns -= 1;
      throw new Error('SyncGroup INVALID_REQUEST');
    }
    this.emit('join', {});
  }
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
  crash(message: string): void {
    this.emit('crash', { payload: { error: new Error(message), restart: false } });
  }
}

class FakeKafka {
  inFlight = 0;
  maxInFlight = 0;
  failRuns = 0;
  readonly consumers: FakeConsumer[] = [];
  producer() {
    return {
      events: { CONNECT: 'c', DISCONNECT: 'd' },
      on: () => undefined,
      connect: async () => undefined,
      disconnect: async () => undefined,
    };
  }
  consumer({ groupId }: { groupId: string }) {
    const c = new FakeConsumer(groupId, this);
    this.consumers.push(c);
    return c;
  }
  admin() {
    return {
      connect: async () => undefined,
      fetchOffsets: async () => [{ partitions: [] }],
      disconnect: async () => undefined,
    };
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function busWith(fake: FakeKafka, names: string[]): KafkaEventBus {
  const bus = new KafkaEventBus(
    { brokers: ['fake:9092'], clientId: 'test', groupPrefix: 'g', ssl: false },
    { restartInitialDelayMs: 20, restartMaxDelayMs: 100 },
  );
  (bus as unknown as { kafka: FakeKafka }).kafka = fake;
  for (const consumer of names) bus.subscribe({ topic: `t.${consumer}`, consumer, deliver: async () => undefined });
  return bus;
}

describe('KafkaEventBus consumers', () => {
  it('joins all consumer groups concurrently at start', async () => {
    const fake = new FakeKafka();
    const bus = busWith(fake, ['a', 'b', 'c', 'd', 'e', 'f']);
    await bus.start();
    expect(fake.consumers.map((c) => c.groupId).sort()).toEqual(['g.a', 'g.b', 'g.c', 'g.d', 'g.e', 'g.f']);
    // Sequential starts would never have two joins in flight at once.
    expect(fake.maxInFlight).toBe(6);
    await expect(bus.health()).resolves.toMatchObject({ up: true });
    await bus.stop();
  });

  it('restarts a crashed consumer with backoff, reporting it in health until it runs again', async () => {
    const fake = new FakeKafka();
    const bus = busWith(fake, ['stock-writer', 'other']);
    await bus.start();
    const first = fake.consumers.find((c) => c.groupId === 'g.stock-writer')!;
    fake.failRuns = 2; // the first two restarts fail too, as a join during a rebalance may
    first.crash('The group member needs to have a valid member id (SyncGroup INVALID_REQUEST)');

    const health = await bus.health();
    expect(health.up).toBe(false);
    expect(health.detail).toContain('consumer stock-writer restarting');
    expect(health.detail).toContain('INVALID_REQUEST');
    expect(health.detail).not.toContain('other');

    await until(async () => (await bus.health()).up);
    const writers = fake.consumers.filter((c) => c.groupId === 'g.stock-writer');
    expect(writers).toHaveLength(4); // the crashed one, two failed restarts, the one that runs
    expect(writers.slice(0, 3).every((c) => c.disconnected)).toBe(true);
    expect(writers[3].disconnected).toBe(false);
    await bus.stop();
    expect(writers[3].disconnected).toBe(true);
  });

  it('does not restart consumers after stop', async () => {
    const fake = new FakeKafka();
    const bus = busWith(fake, ['a']);
    await bus.start();
    await bus.stop();
    fake.consumers[0].crash('late crash');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.consumers).toHaveLength(1);
  });
});
