import { Browser, Page } from 'playwright-core';
import { relIdFor } from '@app/platforms/kuaishou/kuaishou.mapper';
import { InventoryHarness } from '../integration/inventory/inventory.harness';
import { ownerOf } from '../support/sandbox-stack';
import { launchChromium, newPhonePage, requireChromium } from '@test/support/browser';

/** 连衣裙: three required (synthetic) properties in the emulator — brand 102, fabric, skirt length. */
const DRESS = '1584';
const IMAGE = 'https://img.example.com/page-dress-main.jpg';

/**
 * Drafting from the catalog page on a phone-sized screen (375 px) in Debian's Chromium: a merchant
 * picks a Youzan item, sees what the validator finds, sets the Kuaishou category, fills the
 * properties the category requires from its property list, and publishes. What Kuaishou holds is
 * read from the emulator.
 */
describe('drafting a listing from the catalog page in a browser', () => {
  let h: InventoryHarness;
  let browser: Browser;
  let page: Page;
  let itemId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    h = await InventoryHarness.start('catalog-draft-browser');
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '法式碎花连衣裙 PAGE-DRESS',
      desc: '法式碎花雪纺连衣裙，收腰显瘦，夏季新款',
      itemNo: 'PAGE-DRESS',
      skus: [
        { itemNo: 'PAGE-DRESS-S', priceFen: 15_900, stock: 4, specs: [{ k: '尺码', v: 'S' }] },
        { itemNo: 'PAGE-DRESS-M', priceFen: 15_900, stock: 4, specs: [{ k: '尺码', v: 'M' }] },
      ],
    });
    itemId = item.itemId;
    browser = await launchChromium();
    page = await newPhonePage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Nothing wider than the phone: no sideways scrolling of the whole page. */
  const fitsThePhone = async (): Promise<boolean> => {
    await page.evaluate('document.fonts.ready');
    const wider = await page.evaluate<string[]>(`(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return [];
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.tagName + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '') + ' right=' + Math.round(e.getBoundingClientRect().right))
        .slice(0, 12);
      return ['scrollWidth=' + document.documentElement.scrollWidth + ' innerWidth=' + window.innerWidth, ...wide];
    })()`);
    if (wider.length) console.log(`wider than the phone (${page.url()}):\n${wider.join('\n')}`);
    return wider.length === 0;
  };
  const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  const save = async () => {
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/draft'));
    await page.getByTestId('draft-save').click();
    const status = (await answer).status();
    // Saved: redirected to the draft's page with a notice; refused input: the same page answers 400.
    if (status === 303) await page.waitForURL(/\/listings\/[0-9a-f-]{36}\?ok=/);
    await page.waitForLoadState();
    return status;
  };

  it('picks a Youzan item, shows what is missing beside each field, takes the required properties and publishes to Kuaishou', async () => {
    const owner = ownerOf(h.merchantId);
    await page.goto(`${h.stack.url}/merchants/${h.merchantId}/catalog`);
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('sign-in-email').fill(owner.email);
    await page.getByTestId('sign-in-password').fill(owner.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(/\/merchants\//);
    await page.goto(`${h.stack.url}/merchants/${h.merchantId}/catalog`);
    expect(await fitsThePhone()).toBe(true);

    // Pick the item from the Youzan shop's list.
    await page.getByTestId('draft-source').selectOption(h.connections.youzan.id);
    await page.getByTestId('draft-pick').click();
    await page.waitForURL(/\/catalog\/drafts\/new\?/);
    expect(await fitsThePhone()).toBe(true);
    await page.getByTestId(`draft-${itemId}`).click();
    await page.waitForURL(/\/catalog\/listings\/[0-9a-f-]{36}\?ok=/);
    const listingUrl = page.url().split('?')[0];
    expect(await text('draft-verdict')).toContain('error(s) to fix');
    // The Youzan item has no category Kuaishou knows: said beside the category field.
    expect(await text('error-categoryId')).toContain('CATEGORY_MISSING');
    expect(await fitsThePhone()).toBe(true);

    // Bad input answers the same page with the message beside the field; nothing is saved.
    const sourceImages = await page.getByTestId('draft-images').inputValue();
    expect(sourceImages).toMatch(/^https?:\/\//);
    await page.getByTestId('draft-category').fill('连衣裙');
    await page.getByTestId('draft-images').fill(`${IMAGE}\nftp://not-an-image`);
    expect(await save()).toBe(400);
    expect(await text('error-categoryId')).toContain('numeric');
    expect(await text('error-imageUrls')).toContain('line 2');
    expect(await page.getByTestId('draft-category').inputValue()).toBe('连衣裙');
    await page.goto(listingUrl);
    expect(await page.getByTestId('draft-category').inputValue()).toBe('');
    expect(await page.getByTestId('draft-images').inputValue()).toBe(sourceImages);

    // A Kuaishou leaf: the category's property list becomes the form, required ones marked, and
    // what is still missing is said beside each field.
    await page.getByTestId('draft-category').fill(DRESS);
    await page.getByTestId('draft-images').fill('');
    expect(await save()).toBe(303);
    expect(page.url()).toContain('?ok=');
    expect(await text('error-categoryId')).toBe('');
    expect(await text('error-imageUrls')).toContain('IMAGE_COUNT');
    for (const prop of ['102', '99000001', '99000002']) {
      expect(await text(`field-${prop}`)).toContain('required');
      expect(await text(`error-properties[${prop}]`)).toContain('PROPERTY_REQUIRED');
    }
    await page.getByTestId('draft-images').fill(IMAGE);
    expect(await page.getByTestId('draft-publish').count()).toBe(0);
    expect(await fitsThePhone()).toBe(true);

    // Two fabrics and a skirt length, but no brand: only the brand is still missing.
    await page.getByTestId('prop-99000001').selectOption(['990000004', '990000007']);
    await page.getByTestId('prop-99000002').selectOption('990000012');
    expect(await save()).toBe(303);
    expect(await text('error-properties[102]')).toContain('PROPERTY_REQUIRED');
    expect(await text('error-properties[99000001]')).toBe('');
    expect(await page.getByTestId('prop-99000002').inputValue()).toBe('990000012');

    await page.getByTestId('prop-102').selectOption('990000002');
    expect(await save()).toBe(303);
    expect(await text('draft-verdict')).toContain('Ready to publish');
    expect(await fitsThePhone()).toBe(true);

    await page.getByTestId('draft-publish').click();
    await page.waitForURL(/\/catalog\?ok=/);
    await h.quiet();
    const items = await h.stack.ksControl.listShopItems(h.shops.kuaishou);
    const created = items.filter((i) => String(i.relItemId) === relIdFor('PAGE-DRESS'));
    expect(created).toHaveLength(1);
    const stored = h.stack.ks.store.items.get(created[0].itemId)!;
    expect(stored.categoryId).toBe(Number(DRESS));
    expect(stored.props.map((p) => String(p.propId)).sort()).toEqual(['102', '99000001', '99000002']);
    expect(created[0].skus.map((s) => s.stock)).toEqual([0, 0]);

    await page.goto(listingUrl);
    expect(await text('draft-status')).toMatch(/live|pending_audit/);
    expect(await page.getByTestId('draft-form').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
