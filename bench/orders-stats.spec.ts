import {
  EmulatorOrder,
  lostOrders,
  onTimeRate,
  ordersPerMinute,
  parseFlags,
  qpsCeilingPerMinute,
  writebackLatency,
} from './orders-stats';

const order = (id: string, createdAt: number, deadlineAt = 0, shippedAt?: number): EmulatorOrder => ({
  id,
  createdAt,
  deadlineAt,
  shippedAt,
});

describe('orders bench stats', () => {
  it('counts orders per minute from the first creation to the last receipt', () => {
    const orders = [order('a', 1000), order('b', 2000), order('c', 3000)];
    // 3 orders between t=1 s and t=31 s: 6 per minute.
    expect(
      ordersPerMinute(
        orders,
        new Map([
          ['a', 5000],
          ['b', 10_000],
          ['c', 31_000],
        ]),
      ),
    ).toBe(6);
    // What never arrived does not count, but the span still starts at the first creation.
    expect(ordersPerMinute(orders, new Map([['a', 31_000]]))).toBe(2);
    expect(ordersPerMinute(orders, new Map())).toBe(0);
  });

  it('lists the emulator orders the receiver never got', () => {
    const orders = [order('a', 1), order('b', 2), order('c', 3)];
    expect(lostOrders(orders, new Map([['b', 9]]))).toEqual(['a', 'c']);
    expect(lostOrders(orders, new Map(orders.map((o) => [o.id, 9])))).toEqual([]);
  });

  it('rates shipped-by-deadline, counting unshipped orders as late', () => {
    expect(
      onTimeRate([
        order('on time', 0, 100, 100),
        order('late', 0, 100, 101),
        order('unshipped', 0, 100),
        order('early', 0, 100, 5),
      ]),
    ).toBe(0.5);
    expect(onTimeRate([])).toBe(1);
  });

  it('measures write-back from the ERP send to the emulator shipment', () => {
    const orders = Array.from({ length: 100 }, (_, i) => order(`o${i}`, 0, 0, 1000 + i + 1));
    const sent = new Map(orders.map((o) => [o.id, 1000]));
    const summary = writebackLatency([...orders, order('never shipped', 0, 0)], sent);
    expect(summary).toEqual({ p50: 50, p99: 99, max: 100, samples: 100 });
    // An order shipped without an ERP send (none recorded) gives no sample.
    expect(writebackLatency(orders, new Map()).samples).toBe(0);
  });

  it('turns documented QPS into an ingestion ceiling', () => {
    expect(qpsCeilingPerMinute(100, 1)).toBe(6000);
    expect(qpsCeilingPerMinute(300, 100)).toBe(1_800_000);
  });

  it('parses numeric flags, refuses unknown or bad ones and prints usage on --help', () => {
    const specs = [
      { name: 'orders', fallback: 10, help: 'storm orders' },
      { name: 'rate', fallback: 2, help: 'per second' },
    ];
    expect(parseFlags(['--orders=30'], specs, 'usage')).toEqual({ values: { orders: 30, rate: 2 } });
    expect(() => parseFlags(['--nope=1'], specs, 'usage')).toThrow('unknown flag --nope');
    expect(() => parseFlags(['--rate=x'], specs, 'usage')).toThrow('--rate must be a number');
    expect(() => parseFlags(['--rate='], specs, 'usage')).toThrow('--rate must be a number');
    const help = parseFlags(['--help'], specs, 'usage: bench');
    expect('help' in help && help.help).toContain('--orders=<n>');
    expect('help' in help && help.help).toContain('(default 10)');
  });
});
