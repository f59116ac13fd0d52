import { CampaignView } from '@app/promotions/campaign.service';
import { BudgetMove } from '@app/promotions/campaign-changes.service';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { CouponChangeEntity } from '@app/promotions/coupon-change.entity';
import { DiscountBreakdown } from '@app/promotions/discount-breakdown';
import { CampaignRebalanceJob } from '@app/promotions/jobs/campaign-rebalance.job';
import { createTestUser } from '@test/support/access';
import { ownerOf } from '@test/support/sandbox-stack';
import { eventually } from '@test/support/test-app';
import { InventoryHarness } from '../inventory/inventory.harness';
import { CampaignHarness, DAY, HOUR } from './campaign.harness';

/**
 * Ending, editing and moving the budget of campaigns, and discount-rate coupons, against both
 * emulators over HTTP. Every figure that matters is read from the emulators' own state.
 */
describe('coupon campaign changes on Kuaishou and Youzan', () => {
  let promo: CampaignHarness;
  let h: InventoryHarness;

  beforeAll(async () => {
    promo = await CampaignHarness.start('coupon-changes', { code: 'COUPON-CHANGE-SKU', onHand: 500 }, 'Change me');
    h = promo.inventory;
    // These tests run coupons on one platform only; the parity guard on discounts (tested in
    // discount-parity.int-spec) is given room by an admin so it does not refuse them.
    const admin = await createTestUser(h.stack.t.app, 'admin');
    const allow = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/price-policy/allowance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: admin.bearer },
      body: JSON.stringify({ parityAllowanceBp: 5000 }),
    });
    expect(allow.status).toBe(200);
    const limit = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/price-policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...h.auth },
      body: JSON.stringify({ parityLimitBp: 5000 }),
    });
    expect(limit.status).toBe(200);
  });

  afterAll(async () => {
    await promo?.close();
  });

  it('refuses a discount-rate campaign that asks for Kuaishou, with the reason, and creates nothing', async () => {
    const [ksBefore, yzBefore] = [
      (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).length,
      (await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).length,
    ];
    const now = Date.now();
    const res = await promo.api('', 'POST', {
      name: '88 percent',
      payPercent: 88,
      maxMerchantDiscountFen: 5000,
      thresholdFen: 0,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: now - HOUR,
      endsAt: now + DAY,
    });
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('payPercent');
    expect(body).toContain('kuaishou has no discount-rate coupons');
    expect(await h.stack.ksControl.listCoupons(h.shops.kuaishou)).toHaveLength(ksBefore);
    expect(await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).toHaveLength(yzBefore);

    // A rate campaign needs its per-order cap (the anomaly check measures against it).
    const uncapped = await promo.api('', 'POST', {
      name: 'no cap',
      payPercent: 88,
      thresholdFen: 0,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: now - HOUR,
      endsAt: now + DAY,
      platforms: ['youzan'],
    });
    expect(uncapped.status).toBe(400);
    expect(JSON.stringify(await uncapped.json())).toContain('maxMerchantDiscountFen');
  });

  it('runs a discount-rate campaign on Youzan only: the emulator takes the rate off at checkout', async () => {
    const campaign = await promo.createCampaign({
      name: 'Youzan 8.8',
      discountFen: undefined,
      payPercent: 88,
      maxMerchantDiscountFen: 100_000,
      platforms: ['youzan'],
      budget: 5,
    });
    expect(campaign.status).toBe('live');
    expect(campaign.channels.map((c) => c.platform)).toEqual(['youzan']);
    expect(campaign.payPercent).toBe(88);
    const yz = await promo.yzCoupon(campaign);
    expect(yz).toMatchObject({ title: 'Youzan 8.8', preferentialType: 2, discount: 88, total: 5 });

    const tid = (await promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan')))!;
    expect(tid).toBeDefined();
    const breakdown = (await (await promo.api(`/orders/youzan/${tid}/breakdown`)).json()) as DiscountBreakdown;
    const goods = breakdown.goodsTotalFen;
    const off = breakdown.parts
      .filter((p) => p.couponId === promo.couponOf(campaign, 'youzan'))
      .reduce((sum, p) => sum + p.discountFen, 0);
    expect(goods).toBeGreaterThan(0);
    expect(off).toBe(goods - Math.ceil((goods * 88) / 100));
    expect(breakdown.mismatches).toEqual([]);
  });

  it('ends a campaign on both platforms: no more claims on either emulator, and a repeat is harmless', async () => {
    const campaign = await promo.createCampaign({ name: 'To end' });
    expect(await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou'))).toBeDefined();

    const res = await promo.api(`/${campaign.id}/end`, 'POST');
    expect(res.status).toBe(200);
    const ended = (await res.json()) as CampaignView;
    expect(ended.status).toBe('ended');
    expect(ended.channels.map((c) => c.status)).toEqual(['ended', 'ended']);
    expect((await promo.ksCoupon(campaign)).ended).toBe(true);
    expect((await promo.yzCoupon(campaign)).suspended).toBe(true);
    expect(await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou'))).toBeUndefined();
    expect(await promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan'))).toBeUndefined();

    expect((await promo.api(`/${campaign.id}/end`, 'POST')).status).toBe(200);
    const journal = await h.db.dataSource.manager.find(CouponChangeEntity, { where: { campaignId: campaign.id } });
    expect(journal.map((j) => [j.platform, j.kind, j.status]).sort()).toEqual([
      ['kuaishou', 'end', 'done'],
      ['youzan', 'end', 'done'],
    ]);
    // An ended campaign takes no edit.
    expect((await promo.api(`/${campaign.id}`, 'PATCH', { budget: 30 })).status).toBe(409);
  });

  it('settles an end whose answer was lost by reading the coupon back', async () => {
    const campaign = await promo.createCampaign({ name: 'Lost end answer' });
    await h.stack.ksControl.setFaults({ rules: [{ api: 'open.promotion.coupon.over', dropResponseRate: 1 }] });
    await h.stack.yzControl.setFaults({
      rules: [{ api: 'youzan.ump.voucheractivity.suspendsend', dropResponseRate: 1 }],
    });
    let ended: CampaignView;
    try {
      ended = (await (await promo.api(`/${campaign.id}/end`, 'POST')).json()) as CampaignView;
    } finally {
      await h.stack.ksControl.resetFaults();
      await h.stack.yzControl.resetFaults();
    }
    expect((await promo.ksCoupon(campaign)).ended).toBe(true);
    expect((await promo.yzCoupon(campaign)).suspended).toBe(true);
    expect(ended.channels.map((c) => c.status)).toEqual(['ended', 'ended']);
  });

  it('edits the budget on both platforms, lowering Youzan (Kuaishou cannot), and refuses what a platform cannot do', async () => {
    const campaign = await promo.createCampaign({ name: 'Edit budget', budget: 20 });
    const totals = async () => ({
      ks: (await promo.ksCoupon(campaign)).totalStock,
      yz: (await promo.yzCoupon(campaign)).total,
    });
    expect(await totals()).toEqual({ ks: 10, yz: 10 });

    const up = await promo.api(`/${campaign.id}`, 'PATCH', { budget: 30 });
    expect(up.status).toBe(200);
    expect((await up.json()) as CampaignView).toMatchObject({ budget: 30 });
    const raised = await totals();
    expect(raised.ks + raised.yz).toBe(30);

    const down = await promo.api(`/${campaign.id}`, 'PATCH', { budget: 24 });
    expect(down.status).toBe(200);
    const lowered = await totals();
    expect(lowered.ks + lowered.yz).toBe(24);
    expect(lowered.ks).toBe(raised.ks);

    // Below what Youzan can give: refused with the reason, nothing changed on either emulator.
    const tooLow = await promo.api(`/${campaign.id}`, 'PATCH', { budget: lowered.ks - 1 });
    expect(tooLow.status).toBe(400);
    expect(JSON.stringify(await tooLow.json())).toContain('kuaishou cannot lower');
    expect(await totals()).toEqual(lowered);

    const end = await promo.api(`/${campaign.id}`, 'PATCH', { endsAt: Date.now() + 2 * DAY });
    expect(end.status).toBe(400);
    expect(JSON.stringify(await end.json())).toContain("kuaishou cannot move a coupon's end");
    const limit = await promo.api(`/${campaign.id}`, 'PATCH', { perBuyerLimit: 3 });
    expect(limit.status).toBe(400);
    expect((await promo.api(`/${campaign.id}`, 'PATCH', { budget: 'lots' })).status).toBe(400);
  });

  it('settles a budget raise whose answer was lost by reading back, never adding twice', async () => {
    const campaign = await promo.createCampaign({ name: 'Lost raise answer', budget: 20 });
    await h.stack.ksControl.setFaults({ rules: [{ api: 'open.promotion.coupon.stock.add', dropResponseRate: 1 }] });
    await h.stack.yzControl.setFaults({ rules: [{ api: 'youzan.ump.voucheractivity.edit', dropResponseRate: 1 }] });
    let res: Response;
    try {
      res = await promo.api(`/${campaign.id}`, 'PATCH', { budget: 26 });
    } finally {
      await h.stack.ksControl.resetFaults();
      await h.stack.yzControl.resetFaults();
    }
    expect(res.status).toBe(200);
    expect((await promo.ksCoupon(campaign)).totalStock + (await promo.yzCoupon(campaign)).total).toBe(26);
    const journal = await h.db.dataSource.manager.find(CouponChangeEntity, { where: { campaignId: campaign.id } });
    expect(journal.map((j) => j.status)).toEqual(['done']);
  });

  it('keeps a refused raise as a failure for ops; its retry sends the target once', async () => {
    const campaign = await promo.createCampaign({ name: 'Refused raise', budget: 20 });
    await h.stack.ksControl.setFaults({
      rules: [{ api: 'open.promotion.coupon.stock.add', errorRate: 1, error: 'business' }],
    });
    await h.stack.yzControl.setFaults({
      rules: [{ api: 'youzan.ump.voucheractivity.edit', errorRate: 1, error: 'business' }],
    });
    try {
      expect((await promo.api(`/${campaign.id}`, 'PATCH', { budget: 24 })).status).toBe(200);
    } finally {
      await h.stack.ksControl.resetFaults();
      await h.stack.yzControl.resetFaults();
    }
    // Nothing raised yet: the platforms hold less than the budget, never more.
    expect((await promo.ksCoupon(campaign)).totalStock + (await promo.yzCoupon(campaign)).total).toBe(20);
    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, {
      context: 'promotions',
      operation: 'coupon.change',
      entityRef: campaign.id,
    });
    expect(failure.status).toBe('open');
    const retried = await fetch(`${h.stack.url}/ops/failures/${failure.id}/retry`, {
      method: 'POST',
      headers: await h.opsAuth(),
    });
    expect(retried.status).toBeLessThan(300);
    expect((await promo.ksCoupon(campaign)).totalStock + (await promo.yzCoupon(campaign)).total).toBe(24);
    const again = await fetch(`${h.stack.url}/ops/failures/${failure.id}/retry`, {
      method: 'POST',
      headers: await h.opsAuth(),
    });
    expect(again.status).toBeLessThan(500);
    expect((await promo.ksCoupon(campaign)).totalStock + (await promo.yzCoupon(campaign)).total).toBe(24);
    const closed = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { id: failure.id });
    expect(closed.status).not.toBe('open');
  });

  it('edits end and per-buyer limit where the platform allows (Youzan)', async () => {
    const campaign = await promo.createCampaign({ name: 'Youzan edit', platforms: ['youzan'], budget: 8 });
    const endsAt = Math.floor((Date.now() + 3 * DAY) / 1000) * 1000;
    const res = await promo.api(`/${campaign.id}`, 'PATCH', { endsAt, perBuyerLimit: 2, budget: 6 });
    expect(res.status).toBe(200);
    expect(await promo.yzCoupon(campaign)).toMatchObject({ endAt: endsAt, quota: 2, total: 6 });
    expect((await res.json()) as CampaignView).toMatchObject({ endsAt, perBuyerLimit: 2, budget: 6 });
  });

  it('moves the budget toward the platform in demand, never letting both together issue more than the budget', async () => {
    const budget = 20;
    const campaign = await promo.createCampaign({ name: 'Demand', budget });
    const ksId = promo.couponOf(campaign, 'kuaishou');
    const yzId = promo.couponOf(campaign, 'youzan');
    // Sampled from the emulators all along: the two stocks together never exceed the budget.
    let sampling = true;
    let maxTotals = 0;
    const sampler = (async () => {
      while (sampling) {
        const [ks, yz] = [await promo.ksCoupon(campaign), await promo.yzCoupon(campaign)];
        maxTotals = Math.max(maxTotals, ks.totalStock + yz.total);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const moves: BudgetMove[] = [];
    // A slow lowering on Youzan: were the taker raised first, the sampler would see the excess.
    await h.stack.yzControl.setFaults({ rules: [{ api: 'youzan.ump.voucheractivity.edit', latencyMs: 250 }] });
    try {
      // Kuaishou buyers want many more than its half; a few Youzan buyers come too.
      for (let round = 0; round < 12; round++) {
        await Promise.all([
          ...Array.from({ length: 3 }, () => promo.buyWithCoupon('kuaishou', ksId)),
          ...(round % 4 === 0 ? [promo.buyWithCoupon('youzan', yzId)] : []),
        ]);
        moves.push((await (await promo.api(`/${campaign.id}/rebalance`, 'POST')).json()) as BudgetMove);
      }
    } finally {
      sampling = false;
      await sampler;
      await h.stack.yzControl.resetFaults();
    }
    const [ks, yz] = [await promo.ksCoupon(campaign), await promo.yzCoupon(campaign)];
    expect(maxTotals).toBeLessThanOrEqual(budget);
    expect(ks.totalStock + yz.total).toBeLessThanOrEqual(budget);
    expect(ks.received + yz.totalTake).toBeLessThanOrEqual(budget);
    // Demand moved coupons to Kuaishou: it issued more than its first half.
    expect(moves.some((m) => m.moved > 0 && m.from === 'youzan' && m.to === 'kuaishou')).toBe(true);
    expect(ks.received).toBeGreaterThan(budget / 2);
    expect(ks.received + yz.totalTake).toBe(budget);
    // The service's view of each share follows the platforms' totals.
    const listed = ((await (await promo.api('')).json()) as CampaignView[]).find((c) => c.id === campaign.id)!;
    const allotted = Object.fromEntries(listed.channels.map((c) => [c.platform, c.allotted]));
    expect(allotted).toEqual({ kuaishou: ks.totalStock, youzan: yz.total });
    // Many slowed platform calls on a loaded machine: the outcome is checked, not the time it takes.
  }, 300_000);

  it('moves budget from Kuaishou to Youzan by replacing the Kuaishou coupon, never issuing more than the budget', async () => {
    const budget = 10;
    const name = `K to Y ${Date.now()}`;
    const campaign = await promo.createCampaign({ name, budget });
    const yzId = promo.couponOf(campaign, 'youzan');
    const oldKs = promo.couponOf(campaign, 'kuaishou');
    /** What the platforms can still issue plus what they issued: ended coupons count their claims. */
    const issuable = async () => {
      const ks = (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).filter((c) => c.name === name);
      const yz = (await promo.yzCoupon(campaign)).total;
      return yz + ks.reduce((sum, c) => sum + (c.ended ? c.received : c.totalStock), 0);
    };
    let sampling = true;
    let most = 0;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, await issuable());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      // Youzan's buyers take all of its half; Kuaishou's take one of theirs.
      expect(await promo.buyWithCoupon('kuaishou', oldKs)).toBeDefined();
      for (let i = 0; i < 5; i++) expect(await promo.buyWithCoupon('youzan', yzId)).toBeDefined();
      await h.quiet();
      const res = await promo.api(`/${campaign.id}/rebalance`, 'POST');
      expect(res.status).toBe(200);
      await eventually(async () => (await promo.yzCoupon(campaign)).total > 5, 60_000);
    } finally {
      sampling = false;
      await sampler;
    }
    expect(most).toBeLessThanOrEqual(budget);
    // The old coupon ended with its 1 claim; Youzan took 2 of the 4 left, a new Kuaishou coupon the other 2.
    const listed = ((await (await promo.api('')).json()) as CampaignView[]).find((c) => c.id === campaign.id)!;
    const ksChannel = listed.channels.find((c) => c.platform === 'kuaishou')!;
    expect(ksChannel.couponId).not.toBe(oldKs);
    expect(ksChannel.status).toBe('created');
    const coupons = (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).filter((c) => c.name === name);
    expect(coupons.find((c) => c.couponId === oldKs)).toMatchObject({ ended: true, received: 1 });
    expect(coupons.find((c) => c.couponId === ksChannel.couponId)).toMatchObject({ ended: false, totalStock: 2 });
    expect((await promo.yzCoupon(campaign)).total).toBe(7);
    expect(await issuable()).toBe(budget);
    // Kuaishou buyers claim the new coupon; the report counts the old coupon's claim too.
    expect(await promo.buyWithCoupon('kuaishou', ksChannel.couponId!)).toBeDefined();
    await h.quiet();
    const report = (await (await promo.api(`/${campaign.id}/report`)).json()) as {
      platforms: { platform: string; claimed: number }[];
    };
    expect(report.platforms.find((p) => p.platform === 'kuaishou')!.claimed).toBe(2);
  });

  it('rebalances on schedule too: claims the service never heard of still move the budget', async () => {
    const budget = 10;
    const campaign = await promo.createCampaign({ name: 'Scheduled', budget });
    const ksId = promo.couponOf(campaign, 'kuaishou');
    expect([(await promo.ksCoupon(campaign)).totalStock, (await promo.yzCoupon(campaign)).total]).toEqual([5, 5]);
    // Kuaishou's order pushes are lost: the order feed records nothing, so no redemption triggers a move.
    await h.stack.ksControl.setFaults({ push: { lossRate: 1 } });
    try {
      for (let i = 0; i < 5; i++) expect(await promo.buyWithCoupon('kuaishou', ksId)).toBeDefined();
      await h.quiet();
      expect((await promo.yzCoupon(campaign)).total).toBe(5);
      expect(await h.stack.t.app.get(CampaignRebalanceJob).enqueue()).toBeGreaterThanOrEqual(1);
      await h.quiet();
      const moved = await eventually(async () => {
        const [ks, yz] = [await promo.ksCoupon(campaign), await promo.yzCoupon(campaign)];
        return ks.totalStock > 5 ? { ks, yz } : undefined;
      }, 60_000);
      expect(moved.yz.total).toBeLessThan(5);
      expect(moved.ks.totalStock + moved.yz.total).toBeLessThanOrEqual(budget);
    } finally {
      await h.stack.ksControl.resetFaults();
    }
  });

  it('the campaigns page edits and ends a campaign with the CSRF token, and refuses a post without it', async () => {
    const campaign = await promo.createCampaign({ name: 'Page actions', budget: 10 });
    const owner = ownerOf(h.merchantId);
    const base = `${h.stack.url}/merchants/${h.merchantId}/campaigns`;
    const post = (path: string, fields: Record<string, string>, csrf = owner.csrf) =>
      fetch(`${base}/${campaign.id}/${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: owner.cookie },
        body: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...fields }).toString(),
      });
    const shown = await (await fetch(base, { headers: { cookie: owner.cookie } })).text();
    expect(shown).toContain(`data-testid="edit-campaign-${campaign.id}"`);
    expect(shown).toContain(`data-testid="end-campaign-${campaign.id}"`);

    const forged = await post('end', {}, '');
    expect(forged.status).toBe(403);
    expect((await promo.ksCoupon(campaign)).ended).toBe(false);

    const edited = await post('edit', { budget: '14', endDate: '', perBuyerLimit: '' });
    expect(edited.status).toBe(303);
    expect(edited.headers.get('location')).toContain('ok=');
    expect((await promo.ksCoupon(campaign)).totalStock + (await promo.yzCoupon(campaign)).total).toBe(14);
    // Kuaishou cannot change the limit: the page shows the reason, nothing changes.
    const refused = await post('edit', { budget: '', endDate: '', perBuyerLimit: '3' });
    expect(decodeURIComponent(refused.headers.get('location') ?? '')).toContain('kuaishou cannot change');
    expect((await promo.yzCoupon(campaign)).quota).toBe(1);

    const ended = await post('end', {});
    expect(ended.status).toBe(303);
    expect((await promo.ksCoupon(campaign)).ended).toBe(true);
    expect((await promo.yzCoupon(campaign)).suspended).toBe(true);
    const after = await (await fetch(base, { headers: { cookie: owner.cookie } })).text();
    expect(after).not.toContain(`data-testid="end-campaign-${campaign.id}"`);
  });

  it('the create form on the page runs a discount-rate campaign on Youzan only, and refuses one with Kuaishou', async () => {
    const owner = ownerOf(h.merchantId);
    const base = `${h.stack.url}/merchants/${h.merchantId}/campaigns`;
    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 8 * HOUR + 3 * DAY).toISOString().slice(0, 10);
    const create = (fields: Record<string, string>) =>
      fetch(base, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: owner.cookie },
        body: new URLSearchParams({
          _csrf: owner.csrf,
          discountFen: '',
          thresholdFen: '0',
          budget: '6',
          perBuyerLimit: '1',
          startDate: today,
          endDate: later,
          ...fields,
        }).toString(),
      });
    const refused = await create({ name: 'Page rate both', payPercent: '90', maxMerchantDiscountFen: '3000' });
    expect(decodeURIComponent(refused.headers.get('location') ?? '')).toContain('kuaishou has no discount-rate');
    const yzTitles = async (title: string) =>
      (await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).filter((c) => c.title === title);
    expect(await yzTitles('Page rate both')).toHaveLength(0);

    const made = await create({
      name: 'Page rate',
      payPercent: '90',
      maxMerchantDiscountFen: '3000',
      platform: 'youzan',
    });
    expect(made.status).toBe(303);
    expect(decodeURIComponent(made.headers.get('location') ?? '')).toContain('Campaign Page rate: live');
    expect(await yzTitles('Page rate')).toMatchObject([{ preferentialType: 2, discount: 90, total: 6 }]);
  });
});
