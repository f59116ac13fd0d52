import { OutboxEventEntity } from '@app/messaging/outbox/outbox-event.entity';
import { Topic } from '@app/messaging/topics';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { CampaignReport, CampaignView } from '@app/promotions/campaign.service';
import { CouponCampaignEntity } from '@app/promotions/coupon-campaign.entity';
import { DiscountBreakdown } from '@app/promotions/discount-breakdown';
import { RedemptionService } from '@app/promotions/redemption.service';
import { eventually } from '@test/support/test-app';
import { InventoryHarness } from '../inventory/inventory.harness';
import { CampaignHarness, DAY, HOUR } from './campaign.harness';

const CHINA = 8 * HOUR;
const startOfChinaDay = (ms: number) => ms - ((ms + CHINA) % DAY);

/**
 * Coupon campaigns over the real pipeline: both emulators over HTTP, MariaDB, the order feed.
 * Claims and coupons are counted on the emulators' own state.
 */
describe('coupon campaigns on Kuaishou and Youzan', () => {
  let promo: CampaignHarness;
  let h: InventoryHarness;

  beforeAll(async () => {
    promo = await CampaignHarness.start('coupons', { code: 'COUPON-SKU', onHand: 400 }, 'Live-stream 10 off');
    h = promo.inventory;
  });

  afterAll(async () => {
    await promo?.close();
  });

  async function claimsOnEmulators(campaign: CampaignView): Promise<{ kuaishou: number; youzan: number }> {
    const [ks, yz] = await Promise.all([
      h.stack.ksControl.listCoupons(h.shops.kuaishou),
      h.stack.yzControl.listCoupons(Number(h.shops.youzan)),
    ]);
    return {
      kuaishou: ks.find((c) => c.couponId === promo.couponOf(campaign, 'kuaishou'))!.received,
      youzan: yz.find((c) => c.couponId === promo.couponOf(campaign, 'youzan'))!.totalTake,
    };
  }

  const report = async (campaign: CampaignView) =>
    (await (await promo.api(`/${campaign.id}/report`)).json()) as CampaignReport;

  const record = async (platform: 'kuaishou' | 'youzan', orderId: string) => {
    const res = await promo.api(`/orders/${platform}/${orderId}/record`, 'POST');
    expect(res.status).toBe(200);
    return (await res.json()) as { anomalies: { kind: string }[]; redemptions: unknown[] };
  };

  const anomalies = async (campaignId?: string) =>
    (await (await promo.api(campaignId ? `/${campaignId}/anomalies` : '/anomalies')).json()) as {
      kind: string;
      platformOrderId: string;
      evidence: Record<string, unknown>;
    }[];
  const anomalyKinds = async (campaignId?: string) => (await anomalies(campaignId)).map((a) => a.kind);
  /** The anomalies of one order (the order feed may have recorded them before the test asked). */
  const anomaliesOfOrder = async (orderId: string) =>
    (await anomalies()).filter((a) => a.platformOrderId === orderId).map((a) => a.kind);

  it('refuses a bad definition with field messages and creates nothing on the platforms', async () => {
    const before = await h.stack.ksControl.listCoupons(h.shops.kuaishou);
    const res = await promo.api('', 'POST', {
      name: '',
      discountFen: -1,
      thresholdFen: 0,
      budget: 0,
      perBuyerLimit: 1,
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(JSON.stringify(body)).toContain('discountFen');
    const low = await promo.api('', 'POST', {
      name: 'threshold too low',
      discountFen: 1000,
      thresholdFen: 500,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: Date.now(),
      endsAt: Date.now() + DAY,
    });
    expect(low.status).toBe(400);
    expect(JSON.stringify(await low.json())).toContain('thresholdFen');
    expect(await h.stack.ksControl.listCoupons(h.shops.kuaishou)).toHaveLength(before.length);
  });

  it('creates one campaign on both emulators from one definition, the budget split between them', async () => {
    const campaign = await promo.createCampaign({ name: 'Both platforms', thresholdFen: 5000 });
    expect(campaign.status).toBe('live');
    const ks = (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).find(
      (c) => c.couponId === promo.couponOf(campaign, 'kuaishou'),
    )!;
    const yz = (await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).find(
      (c) => c.couponId === promo.couponOf(campaign, 'youzan'),
    )!;
    expect(ks).toMatchObject({ name: 'Both platforms', reduceAmount: 1000, threshold: 5000, receivePerLimit: 1 });
    expect(yz).toMatchObject({ title: 'Both platforms', valueFen: 1000, atLeastFen: 5000, quota: 1 });
    expect(ks.totalStock + yz.total).toBe(20);
    // Kuaishou's window is whole China days (00:00:00 – 23:59:59).
    expect(ks.receiveStartTime).toBe(startOfChinaDay(campaign.startsAt));
    expect(ks.receiveEndTime).toBe(startOfChinaDay(campaign.endsAt) + DAY - 1000);

    // A repeated sync creates nothing twice (outerUniqueKey / the Youzan marker).
    expect((await promo.api(`/${campaign.id}/sync`, 'POST')).status).toBe(200);
    const ksAfter = await h.stack.ksControl.listCoupons(h.shops.kuaishou);
    const yzAfter = await h.stack.yzControl.listCoupons(Number(h.shops.youzan));
    expect(ksAfter.filter((c) => c.name === 'Both platforms')).toHaveLength(1);
    expect(yzAfter.filter((c) => c.title === 'Both platforms')).toHaveLength(1);
  });

  it('keeps a coupon a platform refused as a failure for ops, and a retry creates it once', async () => {
    await h.stack.yzControl.setFaults({
      rules: [{ api: 'youzan.ump.promocard.add', errorRate: 1, error: 'business' }],
    });
    let campaign: CampaignView;
    try {
      campaign = await promo.createCampaign({ name: 'Refused on Youzan' });
    } finally {
      await h.stack.yzControl.resetFaults();
    }
    expect(campaign.status).toBe('partial');
    expect(campaign.channels.find((c) => c.platform === 'youzan')).toMatchObject({ status: 'failed', couponId: null });
    const failure = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, {
      context: 'promotions',
      operation: 'coupon.create',
      entityRef: campaign.id,
    });
    expect(failure.status).toBe('open');
    const yzTitles = async () =>
      (await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).filter((c) => c.title === 'Refused on Youzan');
    expect(await yzTitles()).toHaveLength(0);

    const retried = await fetch(`${h.stack.url}/ops/failures/${failure.id}/retry`, {
      method: 'POST',
      headers: await h.opsAuth(),
    });
    expect(retried.status).toBeLessThan(300);
    expect(await yzTitles()).toHaveLength(1);
    const listed = ((await (await promo.api('')).json()) as CampaignView[]).find((c) => c.id === campaign.id)!;
    expect(listed.status).toBe('live');
    expect(listed.channels.map((c) => c.allotted).reduce((a, b) => a + b, 0)).toBe(20);
    const closed = await h.db.dataSource.manager.findOneByOrFail(SyncFailureEntity, { id: failure.id });
    expect(closed.status).not.toBe('open');
  });

  it('creates the Kuaishou coupon once when the create answer is lost (outerUniqueKey)', async () => {
    await h.stack.ksControl.setFaults({ rules: [{ api: 'open.promotion.coupon.create', dropResponseRate: 1 }] });
    let campaign: CampaignView;
    try {
      campaign = await promo.createCampaign({ name: 'Lost answer' });
    } finally {
      await h.stack.ksControl.resetFaults();
    }
    if (campaign.status !== 'live')
      campaign = (await (await promo.api(`/${campaign.id}/sync`, 'POST')).json()) as CampaignView;
    expect(campaign.status).toBe('live');
    const ks = (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).filter((c) => c.name === 'Lost answer');
    expect(ks.map((c) => c.couponId)).toEqual([promo.couponOf(campaign, 'kuaishou')]);
  });

  it('a storm of claims on both platforms never exceeds the shared budget (counted on the emulators)', async () => {
    const campaign = await promo.createCampaign({ name: 'Storm', budget: 20 });
    const attempts = [
      ...Array.from({ length: 25 }, () => promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou'))),
      ...Array.from({ length: 25 }, () => promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan'))),
    ];
    const orders = (await Promise.all(attempts)).filter((o) => o !== undefined);
    const claims = await claimsOnEmulators(campaign);
    expect(claims.kuaishou + claims.youzan).toBeLessThanOrEqual(20);
    expect(claims.kuaishou + claims.youzan).toBe(20);
    expect(orders).toHaveLength(20);

    // The orders reach the service through the feed; the report shows the shared budget spent.
    await h.poll();
    await h.quiet();
    const shown = await eventually(async () => {
      const r = await report(campaign);
      return r.redeemedTotal === 20 ? r : undefined;
    }, 30_000);
    expect(shown).toMatchObject({ claimedTotal: 20, remainingBudget: 0, merchantCostFen: 20 * 1000 });
    expect(shown.platforms.map((p) => [p.platform, p.claimed])).toEqual([
      ['kuaishou', claims.kuaishou],
      ['youzan', claims.youzan],
    ]);
    expect(shown.anomalies.over_budget).toBe(0);
  });

  it('breaks an order with stacked merchant and platform discounts down by funder, reconciled with its totals', async () => {
    const campaign = await promo.createCampaign({ name: 'Stacked' });
    const oid = (await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou'), {
      platformDiscountFen: 500,
      expressFee: 800,
    }))!;
    const ks = (await (await promo.api(`/orders/kuaishou/${oid}/breakdown`)).json()) as DiscountBreakdown;
    expect(ks.byFunder).toMatchObject({ merchant: 1000, platform: 500, anchor: 0, unknown: 0 });
    expect(ks).toMatchObject({ goodsTotalFen: 9900, discountFen: 1500, shippingFeeFen: 800, paidFen: 9200 });
    expect(ks.mismatches).toEqual([]);
    expect(ks.parts.find((p) => p.funder === 'merchant')?.couponId).toBe(promo.couponOf(campaign, 'kuaishou'));

    const tid = (await promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan')))!;
    const yz = (await (await promo.api(`/orders/youzan/${tid}/breakdown`)).json()) as DiscountBreakdown;
    expect(yz.byFunder.merchant).toBe(1000);
    expect(yz.paidFen).toBe(yz.goodsTotalFen - 1000 + yz.shippingFeeFen);
    expect(yz.mismatches).toEqual([]);

    await record('kuaishou', oid);
    expect(await anomaliesOfOrder(oid)).toEqual([]);
    const r = await eventually(async () => {
      await record('youzan', tid);
      const shown = await report(campaign);
      return shown.redeemedTotal === 2 ? shown : undefined;
    });
    expect(r).toMatchObject({ merchantCostFen: 2000, platformCostFen: 500 });
    expect((await promo.api(`/orders/pinduoduo/${oid}/breakdown`)).status).toBe(400);
  });

  it('two orders recorded at once both count, and a re-read counts nothing twice', async () => {
    const campaign = await promo.createCampaign({ name: 'Concurrent', budget: 10 });
    const a = (await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou')))!;
    const b = (await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou')))!;
    const c = (await promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan')))!;
    const service = h.stack.t.app.get(RedemptionService);
    await Promise.all([
      service.recordOrder(h.merchantId, 'kuaishou', a),
      service.recordOrder(h.merchantId, 'kuaishou', b),
      service.recordOrder(h.merchantId, 'youzan', c),
      service.recordOrder(h.merchantId, 'kuaishou', a),
    ]);
    await h.poll();
    await h.quiet();
    const row = await h.db.dataSource.manager.findOneByOrFail(CouponCampaignEntity, { id: campaign.id });
    expect(row.redeemedCount).toBe(3);
    expect(row.merchantCostFen).toBe(3000);
    const claims = await claimsOnEmulators(campaign);
    expect(claims.kuaishou + claims.youzan).toBe(row.redeemedCount);
  });

  it('flags a merchant coupon discount that matches no campaign, and raises coupon.anomaly for the ERP', async () => {
    const { couponId } = await h.stack.yzControl.createCoupon({
      kdtId: Number(h.shops.youzan),
      title: 'made in the Youzan back office',
      valueFen: 700,
    });
    const tid = (await promo.buyWithCoupon('youzan', couponId))!;
    expect((await record('youzan', tid)).redemptions).toEqual([]);
    await record('youzan', tid);
    expect(await anomaliesOfOrder(tid)).toEqual(['unknown_discount']);
    const failures = await h.db.dataSource.manager.findBy(SyncFailureEntity, {
      context: 'promotions',
      operation: 'coupon.anomaly',
      entityRef: tid,
    });
    expect(failures.map((f) => f.errorCode)).toEqual(['COUPON_UNKNOWN_DISCOUNT']);
    expect(failures[0].reason).toContain(couponId);
    const events = await h.db.dataSource.manager.findBy(OutboxEventEntity, { topic: Topic.MerchantEventRaised });
    const raised = events.map((e) => JSON.parse(e.payload) as { type: string; data: Record<string, unknown> });
    expect(raised.filter((e) => e.type === 'coupon.anomaly' && e.data.orderId === tid)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ kind: 'unknown_discount', couponId }) }),
    ]);
  });

  it('flags redemptions beyond the budget when a platform issued more than its share', async () => {
    const campaign = await promo.createCampaign({ name: 'Small budget', budget: 2 });
    // Someone adds stock in the Kuaishou back office, outside the service.
    await h.stack.ksControl.addCouponStock(promo.couponOf(campaign, 'kuaishou'), 5);
    const orders: string[] = [];
    for (let i = 0; i < 3; i++)
      orders.push((await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou')))!);
    orders.push((await promo.buyWithCoupon('youzan', promo.couponOf(campaign, 'youzan')))!);
    for (const [i, id] of orders.entries()) await record(i < 3 ? 'kuaishou' : 'youzan', id);
    const kinds = await anomalyKinds(campaign.id);
    expect(kinds.filter((k) => k === 'over_budget')).toHaveLength(2);
    const shown = await report(campaign);
    expect(shown).toMatchObject({ redeemedTotal: 4, claimedTotal: 4, remainingBudget: 0 });
    expect(shown.anomalies.over_budget).toBe(2);
  });

  it('shows each campaign with its shared budget on the merchant page, and creates one from the labelled form', async () => {
    const pageUrl = `${h.stack.url}/merchants/${h.merchantId}/campaigns`;
    const home = await (await fetch(`${h.stack.url}/merchants/${h.merchantId}`, { headers: h.auth })).text();
    expect(home).toContain('data-testid="campaigns-link"');
    const post = (fields: Record<string, string>) =>
      fetch(pageUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...h.auth },
        body: new URLSearchParams(fields).toString(),
      });
    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const form = {
      name: 'From the form',
      discountFen: '300',
      thresholdFen: '0',
      budget: '6',
      perBuyerLimit: '2',
      startDate: today,
      endDate: today,
    };
    const saved = await post(form);
    expect(saved.status).toBe(303);
    expect(decodeURIComponent(saved.headers.get('location') ?? '')).toContain('From the form: live');
    const ks = (await h.stack.ksControl.listCoupons(h.shops.kuaishou)).find((c) => c.name === 'From the form');
    const yz = (await h.stack.yzControl.listCoupons(Number(h.shops.youzan))).find((c) => c.title === 'From the form');
    expect([ks?.totalStock, yz?.total]).toEqual([3, 3]);
    expect(ks).toMatchObject({ reduceAmount: 300, receivePerLimit: 2 });

    const refused = await post({ ...form, thresholdFen: '200' });
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(refused.headers.get('location') ?? '')).toContain('thresholdFen');
    expect((await post({ ...form, budget: 'many' })).status).toBe(400);

    const shown = await fetch(pageUrl, { headers: h.auth });
    expect(shown.status).toBe(200);
    const body = await shown.text();
    for (const name of ['name', 'discountFen', 'thresholdFen', 'budget', 'perBuyerLimit', 'startDate', 'endDate'])
      expect(body).toMatch(new RegExp(`<label for="campaign-${name}">[^<]+</label>\\s*<input id="campaign-${name}"`));
    expect(body).toContain('From the form');
    expect(body).toMatch(/Budget 6 · 已领 claimed 0 · 已用 redeemed 0 ·\s*剩余 remaining <strong>6<\/strong>/);
  });

  // Last: moves the Kuaishou emulator's clock.
  it('flags a coupon used after the campaign ended (Kuaishou keeps it valid to the end of the China day)', async () => {
    const now = Date.now();
    const campaign = await promo.createCampaign({ name: 'Short', startsAt: now - HOUR, endsAt: now + 2000 });
    const dayEnd = startOfChinaDay(campaign.endsAt) + DAY - 1000;
    const clock = await h.stack.ksControl.clock();
    const target = campaign.endsAt + Math.min(30 * 60_000, Math.floor((dayEnd - campaign.endsAt) / 2));
    await h.stack.ksControl.advanceClock(Math.max(0, target - clock.now));
    const oid = await promo.buyWithCoupon('kuaishou', promo.couponOf(campaign, 'kuaishou'));
    expect(oid).toBeDefined();
    await record('kuaishou', oid!);
    expect(await anomaliesOfOrder(oid!)).toEqual(['expired_use']);
    expect(await anomalyKinds(campaign.id)).toEqual(['expired_use']);
  });
});
