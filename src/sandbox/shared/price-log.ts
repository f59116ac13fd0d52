/** One price a listing took in an emulator, in the order the emulators applied them. */
export interface PriceChange {
  /** Process-wide order: emulators in one process share it, so their histories interleave correctly. */
  seq: number;
  /** Wall-clock ms when applied. */
  at: number;
  itemId: string;
  skuId: string;
  priceFen: number;
  /** `api`: a price write through the open API; `control`: a merchant's back-office edit. */
  source: 'api' | 'control';
}

let processSeq = 0;

/** Every price change an emulator applied (tests check parity at each intermediate state from it). */
export class PriceLog {
  private readonly entries: PriceChange[] = [];

  record(change: Omit<PriceChange, 'seq' | 'at'>): void {
    this.entries.push({ ...change, seq: ++processSeq, at: Date.now() });
    if (this.entries.length > 10_000) this.entries.shift();
  }

  list(filter: { itemId?: string; skuId?: string } = {}): PriceChange[] {
    return this.entries.filter(
      (e) => (!filter.itemId || e.itemId === filter.itemId) && (!filter.skuId || e.skuId === filter.skuId),
    );
  }
}
