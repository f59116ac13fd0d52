import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createTestUser, TestUser } from '@test/support/access';
import { launchChromium, newPhonePage, requireChromium } from '@test/support/browser';
import { InventoryHarness, SkuFixture } from '../integration/inventory/inventory.harness';

const SCREENSHOTS = join(__dirname, '../e2e/__screenshots__');

/**
 * The ops console e2e specs' shared setup: a merchant with both shops and one bound SKU (the
 * inventory harness), an ops user, and Debian's Chromium on a phone-sized page.
 */
export class OpsBrowser {
  private constructor(
    readonly h: InventoryHarness,
    readonly ops: TestUser,
    readonly sku: SkuFixture,
    readonly browser: Browser,
    readonly page: Page,
    /** The page's uncaught script errors (the specs expect none). */
    readonly pageErrors: string[],
  ) {}

  static async start(
    label: string,
    skuCode: string,
    options: Parameters<typeof InventoryHarness.start>[1] = { label },
  ): Promise<OpsBrowser> {
    requireChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const h = await InventoryHarness.start(label, options);
    const ops = await createTestUser(h.stack.t.app, 'ops');
    const sku = await h.sku(skuCode, { onHand: 20, mode: 'split' });
    const browser = await launchChromium();
    const errors: string[] = [];
    return new OpsBrowser(h, ops, sku, browser, await newPhonePage(browser, errors), errors);
  }

  shot(name: string): Promise<Buffer> {
    return this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** Opens `path`, is sent to the sign-in page, signs in as the ops user and opens `path` again. */
  async signIn(path: string): Promise<void> {
    const { page } = this;
    await page.goto(`${this.h.stack.url}${path}`);
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('sign-in-email').fill(this.ops.email);
    await page.getByTestId('sign-in-password').fill(this.ops.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForLoadState();
    await page.goto(`${this.h.stack.url}${path}`);
  }

  async close(): Promise<void> {
    await this.h.stack.yzControl.resetFaults();
    await this.browser.close();
    await this.h.close();
  }
}
