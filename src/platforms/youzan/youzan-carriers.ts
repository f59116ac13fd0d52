import { Carrier } from '../carriers';

/**
 * Domain carrier → Youzan express company id (`out_stype`), from the 2020 demo answer of
 * `youzan.logistics.express.get` 3.0.0. JD and J&T are not in that list: their ids are looked up
 * by name in the live express list (see YOUZAN_EXPRESS_NAMES) instead of guessing a number.
 */
export const YOUZAN_EXPRESS_IDS: Partial<Record<Carrier, string>> = {
  [Carrier.STO]: '1',
  [Carrier.YTO]: '2',
  [Carrier.ZTO]: '3',
  [Carrier.YUNDA]: '4',
  [Carrier.BEST]: '6',
  [Carrier.SF]: '7',
  [Carrier.CHINA_POST]: '8',
  [Carrier.EMS]: '11',
  [Carrier.ZJS]: '25',
  [Carrier.DEPPON]: '28',
  [Carrier.UC]: '38',
  [Carrier.OTHER]: '41',
};

/** Name fragments to find a carrier in `allExpress[].name` when it has no known id. */
export const YOUZAN_EXPRESS_NAMES: Record<Carrier, string[]> = {
  [Carrier.SF]: ['顺丰'],
  [Carrier.ZTO]: ['中通'],
  [Carrier.YTO]: ['圆通'],
  [Carrier.STO]: ['申通'],
  [Carrier.YUNDA]: ['韵达'],
  [Carrier.EMS]: ['EMS'],
  [Carrier.CHINA_POST]: ['邮政'],
  [Carrier.JD]: ['京东'],
  [Carrier.JTEXPRESS]: ['极兔', 'J&T'],
  [Carrier.DEPPON]: ['德邦'],
  [Carrier.BEST]: ['百世'],
  [Carrier.ZJS]: ['宅急送'],
  [Carrier.UC]: ['优速'],
  [Carrier.OTHER]: ['其他'],
};

export function youzanExpressId(carrier: Carrier): string | undefined {
  return YOUZAN_EXPRESS_IDS[carrier];
}
