import { errorWords } from '@app/common/http/error-words';
import { ShopConnectionEntity } from '../shop-connection.entity';
import { StorePairEntity } from '../store-pair.entity';

export type PairState =
  { kind: 'syncing' } | { kind: 'paused'; words: string; platforms: string[] } | { kind: 'unpaired' };

const PLATFORM_WORDS: Record<string, string> = { kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };

/**
 * What a store pair honestly is: syncing only while both of its shops are connected; a pair with a
 * revoked shop or one that must be authorized again is paused (nothing is written to that shop).
 */
export function pairState(pair: StorePairEntity | undefined, connections: ShopConnectionEntity[]): PairState {
  if (!pair) return { kind: 'unpaired' };
  const members = [pair.kuaishouConnectionId, pair.youzanConnectionId].map((id) =>
    connections.find((c) => c.id === id),
  );
  const stopped = members.filter((c) => !c || c.status !== 'active');
  if (!stopped.length) return { kind: 'syncing' };
  const platforms = stopped.map((c) => c?.platform ?? 'unknown');
  const why = stopped.some((c) => c?.status === 'revoked') ? 'AUTH_REVOKED' : 'AUTH_EXPIRED';
  return {
    kind: 'paused',
    platforms,
    words: `${platforms.map((p) => PLATFORM_WORDS[p] ?? p).join(', ')}: ${errorWords(why)}`,
  };
}
