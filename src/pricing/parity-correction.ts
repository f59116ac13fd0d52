import { derivePrice, ListingPrices, spreadBp, withinLimit } from './parity';
import type { EffectivePolicy } from './price-policy.service';
import { rulesFor } from './price-policy.service';

/** One listing of a merchant SKU as the audit sees it. */
export interface AuditedListing {
  id: string;
  platform: 'kuaishou' | 'youzan';
  priceFen: number;
  /** Known but no longer bound: counted, never written. */
  unbound?: boolean;
}

export type ParityVerdict = 'within' | 'correct' | 'alert';

export interface ParityCorrection {
  spreadBp: number;
  breaks: boolean;
  verdict: ParityVerdict;
  /** What the writer moves, by listing id (bound listings only); absent unless `verdict` is `correct`. */
  targets?: ListingPrices;
  /** The listings that are off: the ones a correction moves, else the ones showing a price the service did not write. */
  off: string[];
  action: string;
}

/**
 * What the audit does about a SKU's listings per policy. With a platform as master, the others are
 * derived from its price (a bound master listing first); with the ERP as master, every listing from
 * the ERP's last price, or (none reported yet) back to the last price the service wrote. A correction
 * that would have to move an unbound listing, or with nothing to correct to, is an alert. Pure.
 */
export function planCorrection(
  listings: AuditedListing[],
  expected: Map<string, number>,
  policy: EffectivePolicy,
  erpFen?: number,
): ParityCorrection {
  const prices = listings.map((l) => l.priceFen);
  const spread = spreadBp(prices);
  const drifted = listings.filter((l) => expected.has(l.id) && expected.get(l.id) !== l.priceFen).map((l) => l.id);
  if (withinLimit(prices, policy.parityLimitBp))
    return {
      spreadBp: spread,
      breaks: false,
      verdict: 'within',
      off: drifted,
      action: 'within the parity limit: left as is',
    };
  const wanted = targetsFor(listings, expected, policy, erpFen);
  const moved = wanted
    ? Object.keys(wanted).filter((id) => wanted[id] !== listings.find((l) => l.id === id)?.priceFen)
    : [];
  const twinMoves = moved.some((id) => listings.find((l) => l.id === id)?.unbound);
  const off = moved.length ? moved : drifted;
  const alert = (action: string): ParityCorrection => ({
    spreadBp: spread,
    breaks: true,
    verdict: 'alert',
    off,
    action,
  });
  if (policy.auditAction === 'alert') return alert('parity limit broken: alert raised (policy: alert)');
  if (twinMoves)
    return alert(
      'parity limit broken: only an unbound listing could be corrected (the service writes bound ones): alert raised',
    );
  if (!wanted) return alert('parity limit broken: no price to correct to (never written by the service): alert raised');
  if (!moved.length) return alert("parity limit broken: the policy's own prices break it: alert raised");
  return {
    spreadBp: spread,
    breaks: true,
    verdict: 'correct',
    targets: Object.fromEntries(moved.map((id) => [id, wanted[id]])),
    off,
    action: `parity limit broken: corrected per policy (master ${policy.master})`,
  };
}

function targetsFor(
  listings: AuditedListing[],
  expected: Map<string, number>,
  policy: EffectivePolicy,
  erpFen?: number,
): ListingPrices | undefined {
  const targets: ListingPrices = {};
  if (erpFen !== undefined) {
    for (const l of listings) targets[l.id] = derivePrice(erpFen, rulesFor(policy, l.platform));
    return targets;
  }
  const master =
    listings.find((l) => l.platform === policy.master && !l.unbound) ??
    listings.find((l) => l.platform === policy.master);
  if (master) {
    for (const l of listings)
      if (l !== master) targets[l.id] = derivePrice(master.priceFen, rulesFor(policy, l.platform));
    return targets;
  }
  for (const l of listings) {
    const price = expected.get(l.id);
    if (price === undefined) return undefined;
    targets[l.id] = price;
  }
  return targets;
}
