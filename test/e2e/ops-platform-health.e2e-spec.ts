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
