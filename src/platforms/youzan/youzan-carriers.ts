import { Carrier, CARRIER_TABLE } from '../carriers';

/**
 * Domain carrier → Youzan express company id (`out_stype`), from the one carrier table
 * (`platforms/carriers.ts`). JD and J&T have no id there: they are looked up by name in the live
 * express list (YOUZAN_EXPRESS_NAMES) instead of guessing a number.
 */
export const YOUZAN_EXPRESS_IDS: Partial<Record<Carrier, string>> = Object.fromEntries(
  (Object.keys(CARRIER_TABLE) as Carrier[])
    .filter((carrier) => CARRIER_TABLE[carrier].youzanExpressId)
    .map((carrier) => [carrier, CARRIER_TABLE[carrier].youzanExpressId]),
);

/** Name fragments to find a carrier in `allExpress[].name` when it has no known id. */
export const YOUZAN_EXPRESS_NAMES = Object.fromEntries(
  (Object.keys(CARRIER_TABLE) as Carrier[]).map((carrier) => [carrier, CARRIER_TABLE[carrier].youzanNames]),
) as Record<Carrier, string[]>;

export function youzanExpressId(carrier: Carrier): string | undefined {
  return YOUZAN_EXPRESS_IDS[carrier];
}
