import { relIdFor } from '@app/platforms/kuaishou/kuaishou.mapper';
import type { FaultRule } from '@app/sandbox/shared/fault-injector';
import { InventoryHarness } from '../inventory/inventory.harness';

export interface ListingFindingView {
  code: string;
  field: string;
  severity: string;
  message: { zh: string; en: string };
  hint: { zh: string; en: string };
}

export interface ListingView {
  id: string;
  outerItemId: string;
  categoryId: string | null;
  status: string;
  origin: string | null;
  targetItemId: string | null;
  auditState: string | null;
  findings: ListingFindingView[];
  errorCode: string | null;
  reason: string | null;
  nextAttemptAt: number | null;
  draft: { title: string };
}

export const IMAGE = 'https://img.example.com/listing-main.jpg';
/** 生活日用: no required properties. */
export const DAILY = '1125';

/** The listings API of the harness's merchant, and the items it reads and writes on the emulators. */
export class ListingApi {
  constructor(private readonly h: InventoryHarness) {}

  /** A JSON call under `/api/merchants/:merchantId` as the merchant's owner. */
  call(path: string, init?: { method?: string; body?: unknown }): Promise<Response> {
    return fetch(`${this.h.stack.url}/api/merchants/${this.h.merchantId}${path}`, {
      method: init?.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...this.h.auth },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  /** A draft (201 expected). */
  async draft(body: Record<string, unknown>): Promise<ListingView> {
    const res = await this.call('/listings', { method: 'POST', body });
    if (res.status !== 201) throw new Error(`draft: ${res.status} ${await res.text()}`);
    return (await res.json()) as ListingView;
  }

  /** A draft of a Youzan item for the Kuaishou shop, in 生活日用 with one remote image unless `overrides` say otherwise. */
  draftForKuaishou(sourceItemId: string, overrides: Record<string, unknown> = {}): Promise<ListingView> {
    return this.draft({
      sourceConnectionId: this.h.connections.youzan.id,
      sourceItemId,
      targetConnectionId: this.h.connections.kuaishou.id,
      categoryId: DAILY,
      imageUrls: [IMAGE],
      ...overrides,
    });
  }

  async get(id: string): Promise<ListingView> {
    return (await (await this.call(`/listings/${id}`)).json()) as ListingView;
  }

  publish(id: string): Promise<Response> {
    return this.call(`/listings/${id}/publish`, { method: 'POST' });
  }

  /** Publishes (202 expected) and waits until the publisher is done. */
  async publishAndWait(id: string): Promise<void> {
    expect((await this.publish(id)).status).toBe(202);
    await this.h.quiet();
  }

  /** Publishes (202 expected) and waits for the publisher while Kuaishou answers per `fault`. */
  async publishUnderKuaishouFault(id: string, fault: Omit<FaultRule, 'api'>): Promise<void> {
    this.h.stack.ks.faults.addRule({ api: 'open.item.new', ...fault });
    try {
      await this.publishAndWait(id);
    } finally {
      this.h.stack.ks.faults.reset();
    }
  }

  /** A Youzan item whose item and SKU codes are `code` and `skuCodes`. */
  youzanItem(
    code: string,
    skuCodes: string[],
    options: { priceFen?: number; title?: string; desc?: string; stock?: number } = {},
  ) {
    return this.h.stack.yzControl.createItem({
      kdtId: Number(this.h.shops.youzan),
      title: options.title ?? `法式碎花连衣裙 ${code}`,
      desc: options.desc ?? '法式碎花雪纺连衣裙，收腰显瘦，夏季新款',
      itemNo: code,
      skus: skuCodes.map((c, i) => ({
        itemNo: c,
        priceFen: options.priceFen ?? 19_900,
        stock: options.stock ?? 7,
        specs: [{ k: '尺码', v: `码${i}` }],
      })),
    });
  }

  /** The Kuaishou shop's items created for the outer item id `outer`. */
  async kuaishouItemsWithRel(outer: string) {
    const items = await this.h.stack.ksControl.listShopItems(this.h.shops.kuaishou);
    return items.filter((i) => String(i.relItemId) === relIdFor(outer));
  }
}
