import { Page } from 'playwright-core';
import { OpsBrowser } from '@test/support/ops-browser';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from '../integration/inventory/inventory.harness';

/**
 * The ops console's platform health page in Debian's Chromium on a phone-sized screen: a Kuaishou shop that withdrew
 * the app shows its grant as lost, and Youzan's breaker shows open while every Youzan call fails.
 */
describe('ops platform health page in a browser', () => {
  let opsUi: OpsBrowser;
  let h: InventoryHarness;
  let page: Page;
  let sku: SkuFixture;

  beforeAll(async () => {
    // A small breaker volume, and a reset far beyond the test: once open, the breaker stays open while it is looked at.
    opsUi = await OpsBrowser.start('ops-platform-health', 'HEALTH-TEE', {
      label: 'ops-platform-health',
      env: {
        PLATFORM_BREAKER_VOLUME: '2',
        PLATFORM_BREAKER_ERROR_PERCENT: '50',
        PLATFORM_BREAKER_RESET_MS: '600000',
      },
    });
    ({ h, page, sku } = opsUi);
  });

  afterAll(async () => {
    await opsUi?.close();
  });

  const shot = (name: string) => opsUi.shot(name);
  /** Nothing wider than the phone: no sideways scrolling of the whole page (wide tables scroll in their own box). */
  const widerThanPhone = () =>
    page.evaluate<string[]>(`(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return [];
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.scroll'))
        .map((e) => e.tagName + '[' + (e.getAttribute('data-testid') || '') + '] ' + (e.textContent || '').slice(0, 60))
        .slice(0, 12);
      return ['scrollWidth=' + document.documentElement.scrollWidth + ' innerWidth=' + window.innerWidth, ...wide];
    })()`);
  /** Per API of a platform's table: calls, errors and the error rate in the window, as the page shows them. */
  const apiRows = (platform: string) =>
    page.evaluate<{ api: string; calls: number; errors: number; rate: string }[]>(`[...document.querySelectorAll(
      '[data-testid="api-usage-${platform}-row"]')].map((r) => ({
        api: r.getAttribute('data-key'),
        calls: Number(r.querySelector('[data-testid="window-calls"]').textContent),
        errors: Number(r.querySelector('[data-testid="window-errors"]').textContent),
        rate: r.querySelector('[data-testid="error-rate"]').textContent.trim(),
      }))`);

  it("shows a revoked shop's grant as lost and an open breaker", async () => {
    await opsUi.signIn('/ops/console/platforms');
    // Before: both grants valid, both breakers closed.
    const grant = (platform: string) =>
      page.locator(`[data-testid="shop-row"][data-platform="${platform}"]`).getByTestId('grant-state');
    expect(await grant('kuaishou').getAttribute('data-grant')).toBe('active');
    expect(await page.getByTestId('breaker-youzan').getAttribute('data-state')).toBe('closed');

    // The Kuaishou shop withdraws the app; the next stock write finds out.
    await h.stack.ksControl.revokeShop(h.shops.kuaishou);
    await h.erp(sku.code, 30);
    await h.quiet();
    // Youzan has an outage: every call fails until the breaker opens.
    const firedBefore = (await h.stack.yzControl.counters()).faultsFired.error ?? 0;
    await h.stack.yzControl.setFaults({ rules: [{ api: '*', errorRate: 1 }] });
    let onHand = 30;
    await eventually(
      async () => {
        await page.goto(`${h.stack.url}/ops/console/platforms`);
        if ((await page.getByTestId('breaker-youzan').getAttribute('data-state')) === 'open') return true;
        await h.erp(sku.code, ++onHand);
        return false;
      },
      90_000,
      500,
    );
    await shot('ops-platform-health');
    expect(await grant('kuaishou').getAttribute('data-grant')).toBe('lost');
    expect(await grant('kuaishou').textContent()).toContain('Grant lost');
    expect(await grant('youzan').getAttribute('data-grant')).toBe('active');
    expect(await page.getByTestId('breaker-youzan').textContent()).toContain('Open');
    expect(await page.getByTestId('breaker-kuaishou').getAttribute('data-state')).toBe('closed');
    // This instance is named, and the breaker shows its state there.
    const instance = await page.getByTestId('instance').first().getAttribute('data-instance');
    expect(await page.getByTestId('instance').count()).toBe(1);
    expect(
      await page
        .getByTestId('breaker-instances-youzan')
        .locator(`[data-instance="${instance}"]`)
        .getAttribute('data-state'),
    ).toBe('open');
    // Per API: every error the Youzan emulator answered is counted on the page (calls the open breaker refused
    // add to both calls and errors without reaching the emulator), and no API shows fewer calls than it received.
    const counters = await h.stack.yzControl.counters();
    const rows = await apiRows('youzan');
    const pageErrors_ = rows.reduce((n, r) => n + r.errors, 0);
    expect(pageErrors_).toBeGreaterThanOrEqual((counters.faultsFired.error ?? 0) - firedBefore);
    expect((counters.faultsFired.error ?? 0) - firedBefore).toBeGreaterThan(0);
    for (const r of rows) expect(r.calls).toBeGreaterThanOrEqual(counters.calls[r.api] ?? 0);
    expect(rows.some((r) => r.errors > 0 && r.rate !== '0%')).toBe(true);
    expect(await widerThanPhone()).toEqual([]);
    // The page reached from the console nav is the same page.
    await page.goto(`${h.stack.url}/ops/console`);
    await page
      .getByRole('navigation', { name: '运维 Ops' })
      .getByRole('link', { name: /Platform health/ })
      .click();
    await page.waitForURL(/\/ops\/console\/platforms$/);
    expect(await page.getByTestId('breaker-youzan').getAttribute('data-state')).toBe('open');
    expect(opsUi.pageErrors).toEqual([]);
  }, 180_000);
});
