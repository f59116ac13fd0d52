/** Money is integer fen everywhere inside the service; yuan strings exist only at platform boundaries. */
export type Fen = number;

const YUAN_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export function yuanToFen(yuan: string | number): Fen {
  const text = typeof yuan === 'number' ? yuan.toFixed(2) : yuan.trim();
  const match = YUAN_PATTERN.exec(text);
  if (!match) throw new RangeError(`not a yuan amount: ${JSON.stringify(yuan)}`);
  const [, sign, whole, fraction = ''] = match;
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign ? -fen : fen;
}

export function fenToYuan(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function assertFen(value: number): asserts value is Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`fen must be an integer, got ${value}`);
}
