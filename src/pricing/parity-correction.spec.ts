import { planCorrection } from './parity-correction';
import { BUILT_IN_POLICY, EffectivePolicy } from './price-policy.service';

const policy = (overrides: Partial<EffectivePolicy>): EffectivePolicy => ({ ...BUILT_IN_POLICY, ...overrides });
const ks = (priceFen: number, unbound = false) => ({ id: 'ks', platform: 'kuaishou' as const, priceFen, unbound });
const yz = (priceFen: number, unbound = false) => ({ id: 'yz', platform: 'youzan' as const, priceFen, unbound });

describe('planCorrection', () => {
  it('leaves a spread within the limit alone, naming listings that show a price the service did not write', () => {
    const plan = planCorrection([ks(10_500), yz(10_000)], new Map([['ks', 10_000]]), policy({ master: 'youzan' }));
    expect(plan).toMatchObject({ breaks: false, verdict: 'within', off: ['ks'], spreadBp: 500 });
    expect(plan.targets).toBeUndefined();
  });

  it('corrects the listings off the master platform to the price derived from the master', () => {
    const plan = planCorrection(
      [ks(12_375), yz(9_900)],
      new Map(),
      policy({ master: 'youzan', adjustments: { kuaishou: { percentBp: 500 } } }),
    );
    expect(plan).toMatchObject({
      breaks: true,
      verdict: 'correct',
      off: ['ks'],
      targets: { ks: 10_395 },
      spreadBp: 2500,
    });
  });

  it('only alerts when the policy says so, still naming the listing that is off', () => {
    const plan = planCorrection([ks(12_375), yz(9_900)], new Map(), policy({ master: 'youzan', auditAction: 'alert' }));
    expect(plan).toMatchObject({ verdict: 'alert', off: ['ks'] });
    expect(plan.targets).toBeUndefined();
  });

  it('alerts when only an unbound listing could be corrected; follows an unbound master', () => {
    expect(planCorrection([ks(12_375, true), yz(9_900)], new Map(), policy({ master: 'youzan' }))).toMatchObject({
      verdict: 'alert',
      off: ['ks'],
      action: expect.stringContaining('unbound'),
    });
    expect(planCorrection([ks(12_375, true), yz(9_900)], new Map(), policy({ master: 'kuaishou' }))).toMatchObject({
      verdict: 'correct',
      targets: { yz: 12_375 },
    });
  });

  it('with the ERP as master derives from its price, else goes back to the prices last written, else alerts', () => {
    const erp = policy({ master: 'erp' });
    expect(planCorrection([ks(12_375), yz(9_900)], new Map(), erp, 9_900)).toMatchObject({
      verdict: 'correct',
      targets: { ks: 9_900 },
    });
    expect(
      planCorrection(
        [ks(12_375), yz(9_900)],
        new Map([
          ['ks', 9_900],
          ['yz', 9_900],
        ]),
        erp,
      ),
    ).toMatchObject({ verdict: 'correct', targets: { ks: 9_900 } });
    expect(planCorrection([ks(12_375), yz(9_900)], new Map([['ks', 9_900]]), erp)).toMatchObject({
      verdict: 'alert',
      off: ['ks'],
      action: expect.stringContaining('no price to correct to'),
    });
  });
});
