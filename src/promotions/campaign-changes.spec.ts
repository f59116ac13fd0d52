import { planBudget } from './campaign-changes.service';

const side = (platform: string, total: number, claimed: number) => ({
  channel: { platform },
  total,
  claimed,
  spare: total - claimed,
});
const youzanOnly = (s: { channel: { platform: string } }) => s.channel.platform === 'youzan';

describe('planBudget', () => {
  it('gives a higher budget to the side with the fewest unclaimed coupons', () => {
    const plan = planBudget([side('kuaishou', 10, 9), side('youzan', 10, 2)], 26, youzanOnly);
    expect(plan).toEqual(
      new Map([
        ['kuaishou', 16],
        ['youzan', 10],
      ]),
    );
  });

  it('takes a lower budget out of the unclaimed coupons of a side that can lower', () => {
    const plan = planBudget([side('kuaishou', 10, 1), side('youzan', 10, 4)], 15, youzanOnly);
    expect(plan).toEqual(
      new Map([
        ['kuaishou', 10],
        ['youzan', 5],
      ]),
    );
  });

  it('says how low the budget can go when the side that cannot lower holds the rest', () => {
    const plan = planBudget([side('kuaishou', 10, 1), side('youzan', 10, 4)], 12, youzanOnly);
    expect(plan).toBe(
      "budget can go down to 14 at most: kuaishou cannot lower a coupon's stock, and claimed coupons stay",
    );
  });

  it('never goes below what was claimed', () => {
    const plan = planBudget([side('kuaishou', 10, 10), side('youzan', 10, 6)], 15, () => true);
    expect(plan).toBe('budget cannot go below the 16 coupons already claimed');
  });
});
