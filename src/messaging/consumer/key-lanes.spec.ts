import { KeyLanes } from './key-lanes';

const tick = () => new Promise((r) => setImmediate(r));

describe(KeyLanes.name, () => {
  it('runs work of one key one after the other, in the order given, even when one fails', async () => {
    const lanes = new KeyLanes();
    const log: string[] = [];
    let release!: () => void;
    const first = lanes.run('a', async () => {
      log.push('first start');
      await new Promise<void>((r) => (release = r));
      log.push('first end');
      throw new Error('first failed');
    });
    const second = lanes.run('a', async () => {
      log.push('second');
      return 2;
    });
    await tick();
    expect(log).toEqual(['first start']);
    expect(lanes.busy('a')).toBe(true);
    release();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
    await tick();
    expect(lanes.busy('a')).toBe(false);
    expect(lanes.size).toBe(0);
  });

  it('runs different keys side by side', async () => {
    const lanes = new KeyLanes();
    let release!: () => void;
    const a = lanes.run('a', () => new Promise<void>((r) => (release = r)));
    let ranB = false;
    await lanes.run('b', async () => {
      ranB = true;
    });
    expect(ranB).toBe(true);
    release();
    await a;
  });
});
