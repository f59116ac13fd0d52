import { Carrier, CARRIER_TABLE } from '../carriers';

/** Domain carrier → Kuaishou `expressCode`, from the one carrier table (`platforms/carriers.ts`). */
export const KUAISHOU_EXPRESS_CODES = Object.fromEntries(
  (Object.keys(CARRIER_TABLE) as Carrier[]).map((carrier) => [carrier, CARRIER_TABLE[carrier].kuaishouExpressCode]),
) as Record<Carrier, number>;

export function kuaishouExpressCode(carrier: Carrier): number {
  return KUAISHOU_EXPRESS_CODES[carrier];
}

/** Kuaishou `expressCode` → domain carrier (109 is J&T, which BEST merged into; unknown codes are OTHER). */
export function carrierFromKuaishouExpressCode(code: number): Carrier {
  const hit = (Object.entries(KUAISHOU_EXPRESS_CODES) as [Carrier, number][]).find(
    ([carrier, value]) => value === code && carrier !== Carrier.BEST,
  );
  return hit ? hit[0] : Carrier.OTHER;
}
