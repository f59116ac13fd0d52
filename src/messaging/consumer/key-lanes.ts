/**
 * One lane per key in this process: work handed to a lane runs after the work before it has
 * settled (success or failure), never beside it. The consumer runner and the replays of its
 * failures (ops retry, dead-letter replay) share the lanes, so a replay of a key waits for the
 * live delivery of that key and the other way round. Across instances the owner's own guard
 * (e.g. the stock-writer lease) still applies.
 */
export class KeyLanes {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** True while work of this key runs or waits. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  /** Keys with work running or waiting (memory stays bounded by live keys). */
  get size(): number {
    return this.tails.size;
  }
}
