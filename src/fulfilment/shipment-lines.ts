import type { Platform } from '../platforms/ports/platform.types';
import type { ShipmentLine } from './shipment.entity';

/** A line of the order as the registry has it. */
export interface OrderLineFacts {
  lineId: string;
  quantity: number;
}

export type LinePlan = { ok: true; lines: ShipmentLine[] | null } | { ok: false; field: string; message: string };

/**
 * Checks the lines of a shipment against the order and normalises them: a shipment of every unit
 * of every line is the whole order (null). Kuaishou orders hold one line (units may ship in several
 * parcels); Youzan ships whole lines only.
 */
export function planShipmentLines(
  platform: Platform,
  orderLines: OrderLineFacts[],
  wanted: ShipmentLine[] | undefined,
): LinePlan {
  if (!wanted?.length) return { ok: true, lines: null };
  const seen = new Set<string>();
  for (const [index, line] of wanted.entries()) {
    const field = `lines.${index}`;
    const known = orderLines.find((l) => l.lineId === line.lineId);
    if (!known) return { ok: false, field: `${field}.lineId`, message: `the order has no line ${line.lineId}` };
    if (seen.has(line.lineId))
      return { ok: false, field: `${field}.lineId`, message: `line ${line.lineId} is listed twice` };
    seen.add(line.lineId);
    if (line.quantity > known.quantity)
      return {
        ok: false,
        field: `${field}.quantity`,
        message: `line ${line.lineId} has ${known.quantity} units, not ${line.quantity}`,
      };
    if (platform === 'youzan' && line.quantity !== known.quantity)
      return {
        ok: false,
        field: `${field}.quantity`,
        message: `Youzan ships whole lines: line ${line.lineId} ships all ${known.quantity} units or none`,
      };
  }
  const whole = orderLines.every((l) => wanted.some((w) => w.lineId === l.lineId && w.quantity === l.quantity));
  return { ok: true, lines: whole ? null : wanted.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) };
}
