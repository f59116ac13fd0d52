import { Carrier, CARRIER_TABLE, CARRIERS, parseCarrier } from './carriers';
import { carrierFromKuaishouExpressCode, kuaishouExpressCode } from './kuaishou/kuaishou-carriers';
import { youzanExpressId, YOUZAN_EXPRESS_NAMES } from './youzan/youzan-carriers';

describe('the carrier table', () => {
  it('reads ERP codes and names without case, spaces or hyphens', () => {
    expect(parseCarrier('sf')).toBe(Carrier.SF);
    expect(parseCarrier('SF-Express')).toBe(Carrier.SF);
    expect(parseCarrier('顺丰速运')).toBe(Carrier.SF);
    expect(parseCarrier('j&t')).toBe(Carrier.JTEXPRESS);
    expect(parseCarrier('极兔速递')).toBe(Carrier.JTEXPRESS);
    expect(parseCarrier('china_post')).toBe(Carrier.CHINA_POST);
    expect(parseCarrier('百世快递')).toBe(Carrier.BEST);
    expect(parseCarrier('pigeon')).toBeUndefined();
  });

  it('gives no alias to two carriers', () => {
    const seen = new Map<string, Carrier>();
    for (const carrier of CARRIERS)
      for (const alias of [carrier, ...CARRIER_TABLE[carrier].aliases]) {
        const key = alias.replace(/[\s_-]+/g, '').toUpperCase();
        expect([key, seen.get(key) ?? carrier]).toEqual([key, carrier]);
        seen.set(key, carrier);
      }
  });

  it('maps to Kuaishou expressCodes, BEST shipping as J&T (merged), and back', () => {
    expect(kuaishouExpressCode(Carrier.SF)).toBe(4);
    expect(kuaishouExpressCode(Carrier.BEST)).toBe(109);
    expect(kuaishouExpressCode(Carrier.JTEXPRESS)).toBe(109);
    expect(carrierFromKuaishouExpressCode(109)).toBe(Carrier.JTEXPRESS);
    expect(carrierFromKuaishouExpressCode(424242)).toBe(Carrier.OTHER);
  });

  it('maps to Youzan express ids, leaving JD and J&T to the live list by name', () => {
    expect(youzanExpressId(Carrier.SF)).toBe('7');
    expect(youzanExpressId(Carrier.BEST)).toBe('6');
    expect(youzanExpressId(Carrier.JD)).toBeUndefined();
    expect(YOUZAN_EXPRESS_NAMES[Carrier.JTEXPRESS]).toContain('极兔');
  });
});
