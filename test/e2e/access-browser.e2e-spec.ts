import { Browser, BrowserContext, Page } from 'playwright-core';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { SessionEntity } from '@app/auth/session.entity';
import { Db } from '@app/database/db';
import { createTestUser } from '../support/access';
import { createMerchant, newShops, ownerOf, Stack, startStack } from '../support/sandbox-stack';
import { capturePageErrors, launchChromium, requireChromium } from '@test/support/browser';

/** Signing in and out, session expiry, CSRF and the session-bound connect flow, in Debian's Chromium. */
describe('access in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    stack = await startStack({ label: 'access-browser' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A browser profile of its own (its own cookies), like another person's computer. */
  async function freshBrowser(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    return capturePageErrors(await context.newPage(), pageErrors);
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${stack.url}/sign-in`);
    await page.getByTestId('sign-in-email').fill(email);
    await page.getByTestId('sign-in-password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  }

  const db = () => stack.t.app.get(Db).dataSource.manager;

  it('sends an anonymous visitor to sign in, refuses a wrong password, signs in and out', async () => {
    const merchantId = await createMerchant(stack.url, '登录测试');
    const owner = ownerOf(merchantId);
    const page = await freshBrowser();
    await page.goto(`${stack.url}/merchants/${merchantId}`);
    await page.waitForURL(/\/sign-in\?next=/);

    await page.getByTestId('sign-in-email').fill(owner.email);
    await page.getByTestId('sign-in-password').fill('not-the-password');
    await page.getByTestId('sign-in-submit').click();
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('wrong');

    await page.getByTestId('sign-in-password').fill(owner.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(owner.email);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'kwaizan_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${stack.url}/merchants/${merchantId}`);
    await page.waitForURL(/\/sign-in\?next=/);
  });

  it("keeps the first tab's sign-in form valid after a second tab opened the sign-in page", async () => {
    const merchantId = await createMerchant(stack.url, '两个标签页');
    const owner = ownerOf(merchantId);
    const first = await freshBrowser();
    await first.goto(`${stack.url}/sign-in`);
    const second = await first.context().newPage();
    await second.goto(`${stack.url}/sign-in`);
    await first.getByTestId('sign-in-email').fill(owner.email);
    await first.getByTestId('sign-in-password').fill(owner.password);
    await first.getByTestId('sign-in-submit').click();
    await first.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    expect(await first.getByTestId('signed-in-as').textContent()).toBe(owner.email);
  });

  it('shows a merchant user only their own merchant', async () => {
    const mine = await createMerchant(stack.url, '我的店');
    const theirs = await createMerchant(stack.url, '别人的店');
    const page = await freshBrowser();
    await signIn(page, ownerOf(mine).email, ownerOf(mine).password);
    await page.waitForURL(new RegExp(`/merchants/${mine}$`));
    const other = await page.goto(`${stack.url}/merchants/${theirs}`);
    expect(other!.status()).toBe(403);
    expect(await page.content()).not.toContain('别人的店');
  });

  it("does not let another site's form sign the browser into an account it chose", async () => {
    const merchantId = await createMerchant(stack.url, '登录伪造');
    const victim = await freshBrowser();
    // The attacker's page (not this site) posts its own account's credentials to the sign-in form.
    await victim.setContent(
      `<form method="post" action="${stack.url}/sign-in"><input name="email" value="${ownerOf(merchantId).email}"><input name="password" value="${ownerOf(merchantId).password}"><input name="next" value="/"></form>`,
    );
    const answer = victim.waitForResponse((r) => r.url() === `${stack.url}/sign-in` && r.request().method() === 'POST');
    await victim.locator('form').evaluate((form) => (form as unknown as { submit(): void }).submit());
    expect((await answer).status()).toBe(403);
    await victim.waitForURL(`${stack.url}/sign-in`);
    expect(await victim.getByTestId('sign-in-error').textContent()).toContain('another site');
    expect((await victim.context().cookies()).some((c) => c.name === 'kwaizan_session')).toBe(false);
    await victim.goto(`${stack.url}/merchants/${merchantId}`);
    await victim.waitForURL(/\/sign-in\?next=/);
  });

  it('ends a session that was idle too long, and one past its absolute end', async () => {
    const merchantId = await createMerchant(stack.url, '过期测试');
    const page = await freshBrowser();
    await signIn(page, ownerOf(merchantId).email, ownerOf(merchantId).password);
    await page.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    const session = async () => (await db().find(SessionEntity, { order: { createdAt: 'DESC' }, take: 1 }))[0];

    // Moved into the past rather than waited for: no test depends on the machine's speed.
    await db().update(
      SessionEntity,
      { idHash: (await session()).idHash },
      { lastSeenAt: Date.now() - stack.t.config.auth.sessionIdleMs - 1000 },
    );
    await page.reload();
    await page.waitForURL(/\/sign-in\?next=/);

    await signIn(page, ownerOf(merchantId).email, ownerOf(merchantId).password);
    await page.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    await db().update(SessionEntity, { idHash: (await session()).idHash }, { expiresAt: Date.now() - 1 });
    await page.reload();
    await page.waitForURL(/\/sign-in\?next=/);
  });

  it('refuses a state change without the CSRF token, from a form and from script', async () => {
    const merchantId = await createMerchant(stack.url, 'CSRF 测试');
    const shops = await newShops(stack);
    const page = await freshBrowser();
    await signIn(page, ownerOf(merchantId).email, ownerOf(merchantId).password);
    await page.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    await page.getByTestId('connect-kuaishou').click();
    await page.getByTestId(`ks-shop-${shops.kuaishou}`).check();
    await page.getByTestId('ks-authorize-approve').click();
    await page.getByTestId('back-to-merchant').click();
    const connection = (await db().findOneBy(ShopConnectionEntity, { merchantId, platform: 'kuaishou' }))!;

    // A forged form (as another site would post it): the cookie rides along, the token does not.
    const forged = await page.evaluate(
      async (action) =>
        (
          await fetch(action, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          })
        ).status,
      `/merchants/${merchantId}/connections/${connection.id}/unbind`,
    );
    expect(forged).toBe(403);
    const json = await page.evaluate(
      async (url) => (await fetch(url, { method: 'DELETE' })).status,
      `/api/merchants/${merchantId}/connections/${connection.id}`,
    );
    expect(json).toBe(403);
    expect((await db().findOneByOrFail(ShopConnectionEntity, { id: connection.id })).status).toBe('active');

    // The page's own form carries the token and works.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('unbind-kuaishou').click();
    await page.waitForURL(/notice=unbound/);
    expect((await db().findOneByOrFail(ShopConnectionEntity, { id: connection.id })).status).toBe('unbound');
  });

  it('finishes a connect only in the browser that started it: the same link approved in another browser stores nothing', async () => {
    const merchantId = await createMerchant(stack.url, '连接测试');
    const shops = await newShops(stack);
    const owner = await freshBrowser();
    await signIn(owner, ownerOf(merchantId).email, ownerOf(merchantId).password);
    await owner.waitForURL(new RegExp(`/merchants/${merchantId}$`));

    // The owner presses Connect, but the authorization page is opened (say, sent as a link) in another browser.
    const start = await owner.request.get(`${stack.url}/connect/kuaishou?merchantId=${merchantId}`, {
      maxRedirects: 0,
    });
    const authorizeUrl = start.headers().location;
    const stranger = await freshBrowser();
    await stranger.goto(authorizeUrl);
    await stranger.getByTestId(`ks-shop-${shops.kuaishou}`).check();
    await stranger.getByTestId('ks-authorize-approve').click();
    expect(await stranger.getByTestId('result-title').textContent()).toBe('快手小店未连接 Kuaishou shop not connected');
    expect(await stranger.getByTestId('result-text').textContent()).toContain('started in another browser');
    expect(await db().countBy(ShopConnectionEntity, { shopId: shops.kuaishou })).toBe(0);

    // In the owner's own browser the flow works.
    await owner.getByTestId('connect-kuaishou').click();
    await owner.getByTestId(`ks-shop-${shops.kuaishou}`).check();
    await owner.getByTestId('ks-authorize-approve').click();
    expect(await owner.getByTestId('result-title').textContent()).toBe('快手小店已连接 Kuaishou shop connected');
    expect(await db().countBy(ShopConnectionEntity, { shopId: shops.kuaishou, merchantId })).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("lets an owner disable, re-enable and promote their merchant's users, and an admin reset a password, from the pages", async () => {
    const merchantId = await createMerchant(stack.url, '用户管理');
    const staff = await createTestUser(stack.t.app, 'staff', merchantId);
    const staffPage = await freshBrowser();
    await signIn(staffPage, staff.email, staff.password);
    await staffPage.waitForURL(new RegExp(`/merchants/${merchantId}$`));

    const owner = await freshBrowser();
    await signIn(owner, ownerOf(merchantId).email, ownerOf(merchantId).password);
    await owner.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    await owner.goto(`${stack.url}/merchants/${merchantId}/erp-credentials`);
    expect(await owner.getByTestId(`user-state-${staff.userId}`).textContent()).toBe('有效 Active');
    await owner.getByTestId(`user-disable-${staff.userId}`).click();
    expect(await owner.getByTestId('users-notice').textContent()).toContain('Disabled');
    expect(await owner.getByTestId(`user-state-${staff.userId}`).textContent()).toContain('已停用 Disabled');

    // The staff member's open browser is signed out at once, and cannot sign in again.
    await staffPage.reload();
    await staffPage.waitForURL(/\/sign-in\?next=/);
    await signIn(staffPage, staff.email, staff.password);
    expect(await staffPage.getByTestId('sign-in-error').textContent()).toContain('disabled');

    await owner.getByTestId(`user-enable-${staff.userId}`).click();
    await owner.getByTestId(`user-role-${staff.userId}`).click();
    expect(await owner.getByTestId(`user-row-${staff.userId}`).textContent()).toContain('店主 Owner');

    const admin = await createTestUser(stack.t.app, 'admin');
    const adminPage = await freshBrowser();
    await signIn(adminPage, admin.email, admin.password);
    await adminPage.waitForURL(`${stack.url}/`);
    await adminPage.getByTestId(`user-password-input-${staff.userId}`).fill('reset-by-the-admin');
    await adminPage.getByTestId(`user-password-${staff.userId}`).click();
    expect(await adminPage.getByTestId('users-notice').textContent()).toContain('Password reset');
    await signIn(staffPage, staff.email, 'reset-by-the-admin');
    await staffPage.waitForURL(new RegExp(`/merchants/${merchantId}$`));
    expect(pageErrors).toEqual([]);
  });
});
