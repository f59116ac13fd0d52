import { CampaignView } from '@app/promotions/campaign.service';
import { SandboxControlError } from '@app/sandbox/shared/control.errors';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

type Platform = 'kuaishou' | 'youzan';

/**
 * The promotions int-specs' shared setup: a merchant with both shops connected and one SKU bound
 * on both (the inventory harness), its campaigns API, and coupons and orders on the emulators.
 */
export class CampaignHarness {
  private constructor(
    readonly inventory: InventoryHarness,
    readonly sku: SkuFixture,
    private readonly defaultName: string,
  ) {}

  static async start(
    label: string,
    sku: { code: string; onHand: number },
    defaultName = 'Campaign',
  ): Promise<CampaignHarness> {
    const inventory = await InventoryHarness.start(label);
    return new CampaignHarness(inventory, await inventory.sku(sku.code, { onHand: sku.onHand }), defaultName);
  }

  /** A JSON call under `/api/merchants/:merchantId/campaigns` as the merchant's owner. */
  api(path: string, method = 'GET', body?: unknown): Promise<Response> {
    const h = this.inventory;
    return fetch(`${h.stack.url}/api/merchants/${h.merchantId}/campaigns${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...h.auth },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** A ¥10-off campaign on both platforms, live from an hour ago for a week, unless `overrides` say otherwise. */
  async createCampaign(overrides: Record<string, unknown> = {}): Promise<CampaignView> {
    const now = Date.now();
    const res = await this.api('', 'POST', {
      name: this.defaultName,
      discountFen: 1000,
      thresholdFen: 0,
      budget: 20,
      perBuyerLimit: 1,
      startsAt: now - HOUR,
      endsAt: now + 7 * DAY,
      ...overrides,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as CampaignView;
  }

  couponOf(campaign: CampaignView, platform: Platform): string {
    return campaign.channels.find((c) => c.platform === platform)!.couponId!;
  }

  async ksCoupon(campaign: CampaignView) {
    const coupons = await this.inventory.stack.ksControl.listCoupons(this.inventory.shops.kuaishou);
    return coupons.find((c) => c.couponId === this.couponOf(campaign, 'kuaishou'))!;
  }

  async yzCoupon(campaign: CampaignView) {
    const coupons = await this.inventory.stack.yzControl.listCoupons(Number(this.inventory.shops.youzan));
    return coupons.find((c) => c.couponId === this.couponOf(campaign, 'youzan'))!;
  }

  /** A paid order of one unit that uses the coupon; undefined when the platform refuses it. */
  async buyWithCoupon(
    platform: Platform,
    couponId: string,
    extra: { platformDiscountFen?: number; expressFee?: number } = {},
  ): Promise<string | undefined> {
    const { stack, shops } = this.inventory;
    try {
      if (platform === 'kuaishou')
        return (
          await stack.ksControl.placeOrder({
            itemId: this.sku.ks.itemId,
            skuId: this.sku.ks.skuId,
            quantity: 1,
            pay: true,
            couponId,
            ...extra,
          })
        ).oid;
      return (
        await stack.yzControl.placeOrder({
          kdtId: Number(shops.youzan),
          lines: [{ skuId: this.sku.yz.skuId, quantity: 1 }],
          pay: true,
          couponId,
        })
      ).tid;
    } catch (error) {
      if (error instanceof SandboxControlError && error.status === 409) return undefined;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inventory.close();
  }
}
