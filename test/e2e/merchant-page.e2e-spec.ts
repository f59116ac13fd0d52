import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { TokenRefreshService } from '@app/accounts/token-refresh.service';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { Db } from '@app/database/db';
import { createMerchant, newShops, ownerOf, Stack, startStack } from '../support/sandbox-stack';
import { capturePageErrors, launchChromium, requireChromium } from '@test/support/browser';

/** The merchant page in Debian's Chromium: connect both shops by clicking, see status and expiry, see re-auth. */
describe('merchant page in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    stack = await startStack({ label: 'browser' });
    browser = await launchChromium();
    page = capturePageErrors(await browser.newPage(), pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function signIn(merchantId: string): Promise<void> {
    const owner = ownerOf(merchantId);
    await page.goto(stack.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('sign-in-email').fill(owner.email);
    await page.getByTestId('sign-in-password').fill(owner.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(new RegExp(`/merchants/${merchantId}$`));
  }

  it('connects both shops by clicking through the platforms’ authorization pages', async () => {
    const shops = await newShops(stack);
    await signIn(await createMerchant(stack.url, '小王的店'));
    expect(await page.getByTestId('status-kuaishou').textContent()).toBe('未连接 Not connected');

    await page.getByTestId('connect-kuaishou').click();
    await page.getByTestId(`ks-shop-${shops.kuaishou}`).check();
    await page.getByTestId('ks-authorize-approve').click();
    expect(await page.getByTestId('result-title').textContent()).toBe('快手小店已连接 Kuaishou shop connected');
    await page.getByTestId('back-to-merchant').click();

    await page.getByTestId('connect-youzan').click();
    await page.getByTestId(`yz-authorize-shop-${shops.youzan}`).check();
    await page.getByTestId('yz-authorize-approve').click();
    expect(await page.getByTestId('result-title').textContent()).toBe('有赞店铺已连接 Youzan shop connected');
    await page.getByTestId('back-to-merchant').click();

    expect(await page.getByTestId('status-kuaishou').textContent()).toBe('已连接 Connected');
    expect(await page.getByTestId('status-youzan').textContent()).toBe('已连接 Connected');
    expect(await page.getByTestId('shop-kuaishou').textContent()).toContain(shops.kuaishou);
    expect(await page.getByTestId('expiry-kuaishou').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(await page.getByTestId('store-pair').textContent()).toContain('同步中 Syncing');
    expect(await page.getByTestId('sandbox-badge').isVisible()).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'kwaizan-merchant-page.png'), fullPage: true });
  });

  it('shows a lost grant with a button to authorize again', async () => {
    const merchantId = page.url().split('/').pop()!;
    const connection = (await stack.t.app
      .get(Db)
      .dataSource.manager.findOneBy(ShopConnectionEntity, { merchantId, platform: 'kuaishou' }))!;
    await stack.ksControl.revokeShop(connection.shopId);
    await stack.t.app
      .get(TokenRefreshService)
      .refresh(connection.id, { force: true })
      .catch(() => undefined);
    await page.reload();
    expect(await page.getByTestId('status-kuaishou').textContent()).toBe('需重新授权 Authorize again');
    expect(await page.getByTestId('reconnect-kuaishou').textContent()).toBe('重新授权 Authorize again');
    expect(await page.getByTestId('status-youzan').textContent()).toBe('已连接 Connected');
    expect(await page.getByTestId('pair-state').textContent()).toBe('已暂停 Paused');
  });

  it('a denied authorization leaves the shop unconnected and says so', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await signIn(await createMerchant(stack.url, '拒绝的商家'));
    await page.getByTestId('connect-youzan').click();
    await page.getByTestId('yz-authorize-deny').click();
    expect(await page.getByTestId('result-title').textContent()).toBe('有赞店铺未连接 Youzan shop not connected');
    await page.getByTestId('back-to-merchant').click();
    expect(await page.getByTestId('status-youzan').textContent()).toBe('未连接 Not connected');
    expect(pageErrors).toEqual([]);
  });
});
