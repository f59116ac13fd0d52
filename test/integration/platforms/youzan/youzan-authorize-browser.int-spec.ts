import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { startYouzanHarness, YouzanHarness } from './youzan-harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.log(`skipping the Youzan authorize-page browser test: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

(available ? describe : describe.skip)('Youzan sandbox authorize page in a browser', () => {
  let h: YouzanHarness;
  let browser: Browser;
  let callback: Server;
  let callbackUrl: string;
  const received: URLSearchParams[] = [];

  beforeAll(async () => {
    h = await startYouzanHarness();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/oauth/youzan/callback') received.push(url.searchParams);
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p data-testid="done">connected</p>');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/oauth/youzan/callback`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => callback.close(() => resolve()));
    await h.close();
  });

  it('approving a chosen shop lands on the callback with code and state, and the code exchanges for that shop', async () => {
    await h.control.createShop({ name: '第一家店', authorize: false });
    const second = await h.control.createShop({ name: '第二家店', authorize: false });
    const page = await browser.newPage();
    await page.goto(h.oauth.authorizeUrl({ state: 'browser-state', redirectUri: callbackUrl }));
    await page.getByTestId(`yz-authorize-shop-${second.kdtId}`).check();
    await page.getByTestId('yz-authorize-approve').click();
    await page.getByTestId('done').waitFor();
    const query = received.at(-1) as URLSearchParams;
    expect(query.get('state')).toBe('browser-state');
    const grant = await h.oauth.exchangeCode({ code: query.get('code') ?? '', redirectUri: callbackUrl });
    expect(grant.shopId).toBe(String(second.kdtId));
    await page.close();
  });

  it('denying lands on the callback with error=access_denied', async () => {
    const page = await browser.newPage();
    await page.goto(h.oauth.authorizeUrl({ state: 'deny-state', redirectUri: callbackUrl }));
    await page.getByTestId('yz-authorize-deny').click();
    await page.getByTestId('done').waitFor();
    const query = received.at(-1) as URLSearchParams;
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('state')).toBe('deny-state');
    expect(query.get('code')).toBeNull();
    await page.close();
  });
});
