import { errorWords } from '../common/http/error-words';
import { DomainException } from '../common/errors/domain.exception';
import { fenToYuan } from '../common/money';
import { isPlatformError } from '../platforms/platform-error';
import { PriceChangeAccepted, PriceRefusal, PriceRefusedException } from './price-change.service';

const PLATFORM: Record<string, string> = { kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };
type ByPlatform = PriceRefusal['current'];

const prices = (by: ByPlatform) =>
  Object.entries(by)
    .map(([p, fen]) => `${PLATFORM[p] ?? p} ¥${fenToYuan(fen!)}`)
    .join(', ');

/** A refused price change in words, with its numbers in yuan. */
export function refusalInWords(refusal: PriceRefusal): string {
  const parts = [
    errorWords(refusal.error),
    `现在 Now: ${prices(refusal.current) || '—'}`,
    `提议 Proposed: ${prices(refusal.proposed)}`,
    `上限 Limit: ${refusal.limitBp / 100}%`,
  ];
  if (refusal.allowed && Object.keys(refusal.allowed).length)
    parts.push(`可以设置 Allowed: ${prices(refusal.allowed)}`);
  return parts.join(' · ');
}

export function acceptedInWords(skuCode: string, accepted: PriceChangeAccepted): string {
  const clamped = accepted.clampedFrom
    ? ` (按策略调整自 clamped by your policy from ${prices(accepted.clampedFrom)})`
    : '';
  return `${skuCode}: 已提交，正在写入平台 Accepted, being written to the platforms: ${prices(accepted.targets)}${clamped}`;
}

/** Runs a price change and answers what happened in words; errors that are not refusals propagate. */
export async function priceAnswerInWords(
  skuCode: string,
  work: () => Promise<PriceChangeAccepted>,
): Promise<{ ok: boolean; text: string }> {
  try {
    return { ok: true, text: acceptedInWords(skuCode, await work()) };
  } catch (error) {
    if (error instanceof PriceRefusedException)
      return { ok: false, text: `${skuCode}: ${refusalInWords(error.refusal)}` };
    if (error instanceof DomainException) return { ok: false, text: `${skuCode}: ${errorWords(error.code)}` };
    if (isPlatformError(error)) return { ok: false, text: `${skuCode}: ${errorWords(error.code)}` };
    throw error;
  }
}
