import { Page } from 'playwright-core';
import { OpsBrowser } from '@test/support/ops-browser';
import { InventoryHarness, SkuFixture } from '../integration/inventory/inventory.harness';

const YZ_STOCK = 'youzan.item.quantity.update';

/**
 * The ops console's failure center in Debian's Chromium on a phone-sized screen: sign in as ops,
 * find a failed Youzan stock write by its SKU, retry it (confirmed), and see it resolved; the
 * write is checked on the emulator.
 */
describe('ops console in a browser', () => {
  let opsUi: OpsBrowser;
  let h: InventoryHarness;
  let page: Page;
  let sku: SkuFixture;

  beforeAll(async () => {
    opsUi = await OpsBrowser.start('ops-console-browser', 'OPS-TEE');
    ({ h, page, sku } = opsUi);
  });

  afterAll(async () => {
    await opsUi?.close();
  });

  const shot = (name: string) => opsUi.shot(name);

  it('signs in as ops, finds a failure, retries it and sees it resolved', async () => {
    await h.stack.yzControl.setFaults({ rules: [{ api: YZ_STOCK, errorRate: 1, error: 'throttle' }] });
    await h.erp(sku.code, 30);
    await h.quiet();
    await h.stack.yzControl.resetFaults();

    await opsUi.signIn('/ops/console/failures');
    await page.getByTestId('filter-q').fill(sku.merchantSkuId);
    await page.getByLabel('平台 Platform').selectOption('youzan');
    await page.getByTestId('apply-filter').click();
    await page.waitForURL(/q=/);
    const rows = page.getByTestId('failure-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByTestId('status-open').isVisible()).toBe(true);
    await shot('ops-failure-center');

    await rows.first().getByTestId('failure-link').click();
    await page.waitForURL(/\/ops\/console\/failures\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('failure-status').textContent()).toContain('Open');
    await shot('ops-failure-detail');
    await page.getByTestId('action-note').fill('Youzan answers again');
    await page.getByTestId('action-retry').click();
    await page.waitForURL(/\/confirm$/);
    await page.getByTestId('confirm-action').click();
    await page.waitForURL(/\/ops\/console\/batches\//);
    expect(await page.getByTestId('batch-summary').textContent()).toContain('Done for 1 of 1');
    expect(await page.getByTestId('audit-result').textContent()).toContain('Resolved');
    await shot('ops-failure-result');
    // The page is safe to refresh: it reads the audit back and says the same.
    await page.reload();
    expect(await page.getByTestId('audit-result').textContent()).toContain('Resolved');

    await page.goto(`${h.stack.url}/ops/console/failures?status=all&q=${sku.merchantSkuId}&platform=youzan`);
    expect(await page.getByTestId('failure-row').first().getByTestId('status-resolved').isVisible()).toBe(true);
    await h.quiet();
    const allocations = await h.allocations(sku);
    expect((await h.platformStock(sku)).youzan).toBe(allocations.youzan.allotted);
    expect(opsUi.pageErrors).toEqual([]);
  }, 180_000);

  it('draws live points on the charts without a reload', async () => {
    await page.goto(`${h.stack.url}/ops/console/live`);
    await page.waitForFunction("document.getElementById('live-state').textContent === '已连接 Live'", null, {
      timeout: 30_000,
    });
    const points = async () => Number(await page.getByTestId('chart-events').getAttribute('data-points'));
    await page.waitForFunction("Number(document.getElementById('chart-events').dataset.points) >= 1", null, {
      timeout: 30_000,
    });
    const before = await points();
    // Stock changes while the page is open: events are consumed and the chart draws what came in.
    await h.erp(sku.code, 25);
    await h.quiet();
    await page.waitForFunction(`Number(document.getElementById('chart-events').dataset.points) > ${before}`, null, {
      timeout: 30_000,
    });
    const drawn = await page.evaluate<number[]>("Chart.getChart('chart-events').data.datasets[0].data");
    expect(drawn.length).toBeGreaterThan(before);
    expect(drawn.every((v) => typeof v === 'number' && v >= 0)).toBe(true);
    // Each platform's quota (ops settings defaults) is a flat line on the calls chart, one value per point drawn.
    const calls = await page.evaluate<{ label: string; data: number[] }[]>(
      "Chart.getChart('chart-calls').data.datasets.map(function (d) { return { label: d.label, data: d.data }; })",
    );
    expect(calls.map((d) => d.label)).toEqual([
      'kuaishou',
      'youzan',
      'kuaishou quota 1,000,000/day',
      'youzan quota 500,000/month',
    ]);
    expect(new Set(calls[2].data)).toEqual(new Set([11.574]));
    expect(new Set(calls[3].data)).toEqual(new Set([0.193]));
    expect(calls[2].data.length).toBe(calls[0].data.length);
    await shot('ops-live-charts');
    expect(opsUi.pageErrors).toEqual([]);
  }, 120_000);
});
