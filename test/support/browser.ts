import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium, which the e2e browser specs drive. */
export const CHROMIUM = '/usr/bin/chromium';

/** Fails fast (before a stack is started) when Chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
}

/** Headless Chromium with the flags every e2e spec uses (no sandbox, GPU, QUIC or background traffic). */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects the page's uncaught script errors into `errors` (the specs expect it to stay empty). */
export function capturePageErrors(page: Page, errors: string[]): Page {
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** A new page on a phone-sized screen (375 × 812), its script errors collected into `errors`. */
export async function newPhonePage(browser: Browser | BrowserContext, errors: string[]): Promise<Page> {
  return capturePageErrors(await browser.newPage({ viewport: { width: 375, height: 812 } }), errors);
}
