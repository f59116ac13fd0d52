import { demoOptions } from './demo.main';

describe('demo options', () => {
  it('reads --skus, --stock, --buyers and --exit, and the ports npm start uses', () => {
    expect(demoOptions(['--skus=4', '--buyers=9', '--exit'], { PORT: '4000', SANDBOX_KUAISHOU_PORT: '4001' })).toEqual({
      skus: 4,
      stock: 5,
      buyers: 9,
      exit: true,
      port: 4000,
      kuaishouPort: 4001,
      youzanPort: 3102,
    });
    expect(demoOptions([], {})).toMatchObject({ skus: 3, buyers: 40, exit: false, port: 3000 });
  });

  it('refuses numbers that are not whole and positive, naming the option', () => {
    expect(() => demoOptions(['--skus=0'], {})).toThrow('--skus');
    expect(() => demoOptions(['--buyers=many'], {})).toThrow('--buyers');
  });
});
