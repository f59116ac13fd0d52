import { Carrier } from '../carriers';

/**
 * Domain carrier → Kuaishou `expressCode` (static table, sheet §3.9; there is no carrier-list API).
 * 百世快递 merged into 极兔速递, so BEST ships as 109 too. Which table rows are retired is
 * unconfirmed; the platform answers result 11 for a code it no longer accepts.
 */
export const KUAISHOU_EXPRESS_CODES: Record<Carrier, number> = {
  [Carrier.SF]: 4,
  [Carrier.ZTO]: 9,
  [Carrier.YTO]: 6,
  [Carrier.STO]: 3,
  [Carrier.YUNDA]: 11,
  [Carrier.EMS]: 2,
  [Carrier.CHINA_POST]: 8,
  [Carrier.JD]: 14,
  [Carrier.JTEXPRESS]: 109,
  [Carrier.DEPPON]: 53,
  [Carrier.BEST]: 109,
  [Carrier.ZJS]: 10,
  [Carrier.UC]: 15,
  [Carrier.OTHER]: 9999,
};

export function kuaishouExpressCode(carrier: Carrier): number {
  return KUAISHOU_EXPRESS_CODES[carrier];
}

/** Kuaishou `expressCode` → domain carrier (first match; unknown codes are OTHER). */
export function carrierFromKuaishouExpressCode(code: number): Carrier {
  const hit = (Object.entries(KUAISHOU_EXPRESS_CODES) as [Carrier, number][]).find(
    ([carrier, value]) => value === code && carrier !== Carrier.BEST,
  );
  return hit ? hit[0] : Carrier.OTHER;
}
