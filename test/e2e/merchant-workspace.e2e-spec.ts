import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { TokenRefreshService } from '@app/accounts/token-refresh.service';
import { InventoryHarness, SkuFixture } from '../integration/inventory/inventory.harness';
import { ownerOf } from '../support/sandbox-stack';
import { launchChromium, newPhonePage, requireChromium } from '@test/support/browser';

const SCREENSHOTS = join(__dirname, '__screenshots__');

/**
 * The merchant workspace on a phone-sized screen (375 px) in Debian's Chromium: the nav, the stock
 * page and its settings form, the prices page and its yuan form, and the Paused state once a shop
 * withdraws access. What the platforms show is read from the emulators.
 */
describe('merchant workspace in a browser', () => {
  let h: InventoryHarness;
  let browser: Browser;
  let page: Page;
  let sku: SkuFixture;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    h = await InventoryHarness.start('workspace-browser');
    sku = await h.sku('WS-TEE', { onHand: 20 });
    browser = await launchChromium();
    page = await newPhonePage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** Nothing wider than the phone: no sideways scrolling of the whole page. */
  const fitsThePhone = async (): Promise<boolean> => {
    await page.evaluate('document.fonts.ready');
    const wider = await page.evaluate<string[]>(`(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return [];
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.tagName + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '') + ' right=' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 60))
        .slice(0, 12);
      return ['scrollWidth=' + document.documentElement.scrollWidth + ' innerWidth=' + window.innerWidth, ...wide];
    })()`);
    if (wider.length) console.log(`wider than the phone (${page.url()}):\n${wider.join('\n')}`);
    return wider.length === 0;
  };
  const sum = (s: { kuaishou: number; youzan: number }) => s.kuaishou + s.youzan;

  it('signs in as the owner and finds every workspace page from one nav', async () => {
    const owner = ownerOf(h.merchantId);
    await page.goto(h.stack.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('sign-in-email').fill(owner.email);
    await page.getByTestId('sign-in-password').fill(owner.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(new RegExp(`/merchants/${h.merchantId}$`));
    expect(await page.getByTestId('pair-state').textContent()).toBe('同步中 Syncing');
    for (const key of [
      'overview',
      'stock',
      'prices',
      'catalog',
      'orders',
      'shipments',
      'refunds',
      'campaigns',
      'webhooks',
      'credentials',
    ])
      expect(await page.getByTestId(`nav-${key}`).isVisible()).toBe(true);
    expect(await fitsThePhone()).toBe(true);
    await shot('merchant-overview');
  });

  it('shows the same nav on every merchant page, marking the page it is on', async () => {
    const pages = [
      'stock',
      'prices',
      'catalog',
      'orders',
      'shipments',
      'refunds',
      'campaigns',
      'webhooks',
      'credentials',
    ];
    for (const key of pages) {
      await page.getByTestId(`nav-${key}`).click();
      await page.waitForURL(new RegExp(`/merchants/${h.merchantId}/[a-z-]+$`));
      expect(await page.getByTestId(`nav-${key}`).getAttribute('aria-current')).toBe('page');
      for (const other of pages.filter((k) => k !== key))
        expect(await page.getByTestId(`nav-${other}`).getAttribute('aria-current')).toBeNull();
      expect({ key, fits: await fitsThePhone() }).toEqual({ key, fits: true });
    }
    await page.getByTestId('nav-overview').click();
    await page.waitForURL(new RegExp(`/merchants/${h.merchantId}$`));
    expect(pageErrors).toEqual([]);
  });

  it('the stock page shows have / held / sellable, and a safety stock set in the form reaches the platforms', async () => {
    await page.getByTestId('nav-stock').click();
    await page.waitForURL(/\/stock$/);
    expect(await page.getByTestId('have-WS-TEE').textContent()).toBe('20');
    expect(await page.getByTestId('held-WS-TEE').textContent()).toBe('0');
    expect(await page.getByTestId('sellable-WS-TEE').textContent()).toBe('20');
    const before = await h.platformStock(sku);
    expect(sum(before)).toBeGreaterThan(12);
    expect(await page.getByTestId('shows-WS-TEE-kuaishou').textContent()).toContain(String(before.kuaishou));
    expect(await fitsThePhone()).toBe(true);

    await page.getByTestId('settings-WS-TEE').locator('summary').click();
    await page.getByTestId('safety-WS-TEE').fill('8');
    await page.getByTestId('save-settings-WS-TEE').click();
    await page.waitForURL(/\/stock\?ok=/);
    expect(await page.getByTestId('notice').textContent()).toContain('Settings saved');
    await h.quiet();
    const after = await h.platformStock(sku);
    expect(sum(after)).toBeLessThanOrEqual(12);
    await page.goto(`${h.stack.url}/merchants/${h.merchantId}/stock`);
    expect(await page.getByTestId('sellable-WS-TEE').textContent()).toBe('12');
    await shot('merchant-stock');
  });

  it('the prices page shows each platform’s price and answers a refused change in words', async () => {
    await page.getByTestId('nav-prices').click();
    await page.waitForURL(/\/prices$/);
    expect(await page.getByTestId('shown-WS-TEE-kuaishou').textContent()).toBe('¥99.00');
    expect(await page.getByTestId('spread-WS-TEE').textContent()).toContain('Within the limit');
    await page.getByTestId('price-yuan-WS-TEE').fill('130');
    await page.getByTestId('price-platform-WS-TEE').selectOption('kuaishou');
    await page.getByTestId('price-submit-WS-TEE').click();
    await page.waitForURL(/\/prices\?error=/);
    const refusal = (await page.getByTestId('notice').textContent()) ?? '';
    expect(refusal).toContain('would exceed the limit');
    expect(refusal).toContain('¥108.90');
    expect(refusal).not.toMatch(/PARITY_LIMIT/);
    expect(await fitsThePhone()).toBe(true);
    await shot('merchant-prices-refused');

    await page.getByTestId('price-yuan-WS-TEE').fill('105');
    await page.getByTestId('price-submit-WS-TEE').click();
    await page.waitForURL(/\/prices\?ok=/);
    await h.quiet();
    const [ks, yz] = await Promise.all([
      h.stack.ksControl.getSku(sku.ks.itemId, sku.ks.skuId),
      h.stack.yzControl.getSku(sku.yz.itemId, sku.yz.skuId),
    ]);
    expect([ks.price, yz.priceFen]).toEqual([10_500, 10_500]);
  });

  it('a shop that withdrew access shows the pair as Paused, not Syncing, on the overview and the stock page', async () => {
    await h.stack.ksControl.revokeShop(h.connections.kuaishou.shopId);
    await h.stack.t.app
      .get(TokenRefreshService)
      .refresh(h.connections.kuaishou.id, { force: true })
      .catch(() => undefined);
    await page.getByTestId('nav-overview').click();
    await page.waitForURL(new RegExp(`/merchants/${h.merchantId}$`));
    expect(await page.getByTestId('pair-state').textContent()).toBe('已暂停 Paused');
    expect(await page.getByTestId('store-pair').textContent()).not.toContain('Syncing');
    await page.getByTestId('nav-stock').click();
    expect(await page.getByTestId('paused-kuaishou').textContent()).toContain('Paused');
    expect(await page.getByTestId('shows-WS-TEE-kuaishou').textContent()).toContain('已暂停 Paused');
    await shot('merchant-stock-paused');
    expect(pageErrors).toEqual([]);
  });
});
