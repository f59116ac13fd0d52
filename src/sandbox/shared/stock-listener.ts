/** Why a listing's stock changed: a buyer's order, units given back, an API write, a back-office edit. */
export type StockChangeCause = 'sale' | 'restock' | 'api' | 'control';

/** One change of a listing's visible stock, stamped with the emulator's clock. */
export interface StockChange {
  at: number;
  itemId: string;
  skuId: string;
  /** Visible stock after the change. */
  stock: number;
  delta: number;
  cause: StockChangeCause;
}

/** Called synchronously on every stock change, so an observer in the emulator process misses none. */
export type StockListener = (change: StockChange) => void;
