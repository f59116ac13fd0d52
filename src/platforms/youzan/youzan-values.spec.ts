import {
  beijingToEpochMs,
  epochMsToBeijing,
  fenToYuanString,
  formDecode,
  idString,
  longParam,
  yuanStringToFen,
} from './youzan-values';

describe('youzan values', () => {
  describe('Beijing time', () => {
    it('reads a Youzan time string as UTC+8', () => {
      expect(beijingToEpochMs('2024-01-01 12:30:00')).toBe(Date.UTC(2024, 0, 1, 4, 30, 0));
    });

    it('writes epoch ms as a Youzan time string in UTC+8, crossing the date line correctly', () => {
      expect(epochMsToBeijing(Date.UTC(2023, 11, 31, 16, 0, 1))).toBe('2024-01-01 00:00:01');
      expect(epochMsToBeijing(Date.UTC(2024, 1, 29, 15, 59, 59, 999))).toBe('2024-02-29 23:59:59');
    });

    it('round-trips at second precision', () => {
      const ms = Date.UTC(2025, 6, 15, 9, 8, 7);
      expect(beijingToEpochMs(epochMsToBeijing(ms))).toBe(ms);
    });

    it('treats "", null and the 1970 sentinel as unset', () => {
      expect(beijingToEpochMs('')).toBeNull();
      expect(beijingToEpochMs(null)).toBeNull();
      expect(beijingToEpochMs('1970-01-01 08:00:00')).toBeNull();
    });

    it('parses the documented yyyy年-MM月-dd日 variant and date-only strings leniently', () => {
      expect(beijingToEpochMs('2024年-03月-05日')).toBe(Date.UTC(2024, 2, 4, 16, 0, 0));
      expect(beijingToEpochMs('2024-03-05')).toBe(Date.UTC(2024, 2, 4, 16, 0, 0));
    });

    it('accepts epoch seconds and ms numbers', () => {
      expect(beijingToEpochMs(1704083400)).toBe(1704083400000);
      expect(beijingToEpochMs(1704083400123)).toBe(1704083400123);
    });
  });

  describe('yuan and fen', () => {
    it('converts order amounts in yuan strings to integer fen without float error', () => {
      expect(yuanStringToFen('320.60')).toBe(32060);
      expect(yuanStringToFen('0.07')).toBe(7);
      expect(yuanStringToFen('19.9')).toBe(1990);
      expect(yuanStringToFen('100')).toBe(10000);
      expect(yuanStringToFen(0.29)).toBe(29);
      expect(yuanStringToFen('')).toBe(0);
    });

    it('rejects amounts with more than two decimals instead of rounding silently', () => {
      expect(() => yuanStringToFen('1.005')).toThrow(RangeError);
    });

    it('formats fen as two-decimal yuan', () => {
      expect(fenToYuanString(1)).toBe('0.01');
      expect(fenToYuanString(12345)).toBe('123.45');
      expect(fenToYuanString(1000)).toBe('10.00');
    });
  });

  describe('ids', () => {
    it('keeps Long ids beyond 2^53 exact', () => {
      expect(idString('1436413407076030200')).toBe('1436413407076030200');
      expect(idString(403680077)).toBe('403680077');
      expect(longParam('1436413407076030200')).toBe(1436413407076030200n);
      expect(() => longParam('E123')).toThrow(RangeError);
    });
  });

  describe('formDecode', () => {
    it('turns + into spaces before percent-decoding, like the push senders encode', () => {
      expect(formDecode('buyer+cancelled%2B1%3A%E5%B7%B2')).toBe('buyer cancelled+1:已');
    });
  });
});
