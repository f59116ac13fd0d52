import { Clock, SystemClock } from '@app/common/clock';
import { KuaishouConfig } from '@app/config/app-config';
import { PlatformError } from '../platform-error';
import { ShopRef } from '../ports/platform.types';
import { TokenProvider } from '../ports/accounts.port';
import { PlatformGateway } from '../shared/platform-gateway';
import { KuaishouEnvelope, KuaishouHttpClient } from './kuaishou-http.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { KsItem, KsSkuInfo } from './kuaishou-wire.types';

export const KUAISHOU_OPERATION_HEADER = 'x-kwaizan-operation-id';

export interface KuaishouChannelOptions {
  /** HTTP timeout of one call (config.platforms.timeoutMs). */
  timeoutMs?: number;
  clock?: Clock;
  /** Replaces the HTTP client (tests). */
  http?: KuaishouHttpClient;
  /** open.order.cursor.list window (documented 7 days). */
  orderWindowMs?: number;
  /** open.seller.order.refund.pcursor.list window: documented 1 day, may shrink during promotions. */
  refundWindowMs?: number;
  /** Orders per page: 50 per the 2022 doc (100 in a 2026 third-party comment; unconfirmed). */
  maxOrderPageSize?: number;
  /** How far back the list APIs reach (documented 90 days). */
  lookBackMs?: number;
  /** How long a category's config is reused for listing and edits. */
  categoryConfigTtlMs?: number;
  /**
   * Send the operation id header on stock writes: the emulator counts double applies with it;
   * the real gateway must never see it.
   */
  sendOperationId?: boolean;
}

export type KuaishouParam = Record<string, unknown>;

const DAY_MS = 86_400_000;

/**
 * One shop's calls to the Kuaishou open platform, shared by the capability adapters: the gateway
 * (rate limits, breaker, retries of idempotent calls) around the signed HTTP call, and one token
 * refresh on AUTH_EXPIRED.
 */
export class KuaishouApi {
  readonly clock: Clock;
  private readonly http: KuaishouHttpClient;
  private readonly sendOperationId: boolean;
  private readonly lookBackMs: number;

  constructor(
    config: KuaishouConfig,
    private readonly gateway: PlatformGateway,
    private readonly tokens: TokenProvider,
    options: KuaishouChannelOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.http =
      options.http ?? new KuaishouHttpClient(config, { timeoutMs: options.timeoutMs ?? 10_000, clock: this.clock });
    this.sendOperationId = options.sendOperationId ?? false;
    this.lookBackMs = options.lookBackMs ?? 90 * DAY_MS;
  }

  /**
   * One API call for a shop. AUTH_EXPIRED is answered before anything is applied, so one refresh
   * and one repeat are safe even for the incremental stock write.
   */
  async call(
    shop: ShopRef,
    api: string,
    param: KuaishouParam,
    idempotent: boolean,
    headers?: Record<string, string>,
  ): Promise<KuaishouEnvelope> {
    const attempt = (accessToken: string) =>
      this.gateway.call({ api, shopKey: `kuaishou:${shop.shopId}`, idempotent }, () =>
        this.http.call({ api, accessToken, param, headers }),
      );
    const token = await this.tokens.accessToken(shop);
    try {
      return await attempt(token);
    } catch (error) {
      if (!(error instanceof PlatformError) || error.code !== 'AUTH_EXPIRED') throw error;
      return attempt(await this.tokens.refreshAfterExpiry(shop, token));
    }
  }

  /** A multipart upload (open.item.image.upload): the bytes go in their own part, `param` is signed as usual. */
  async upload(
    shop: ShopRef,
    api: string,
    param: KuaishouParam,
    file?: { field: string; filename: string; contentType: string; bytes: Buffer },
  ): Promise<KuaishouEnvelope> {
    // Uploading the same bytes twice only makes a second copy on the CDN: safe to retry.
    const attempt = (accessToken: string) =>
      this.gateway.call({ api, shopKey: `kuaishou:${shop.shopId}`, idempotent: true }, () =>
        this.http.call({ api, accessToken, param, file, multipart: true }),
      );
    const token = await this.tokens.accessToken(shop);
    try {
      return await attempt(token);
    } catch (error) {
      if (!(error instanceof PlatformError) || error.code !== 'AUTH_EXPIRED') throw error;
      return attempt(await this.tokens.refreshAfterExpiry(shop, token));
    }
  }

  operationHeader(operationId: string): Record<string, string> | undefined {
    return this.sendOperationId ? { [KUAISHOU_OPERATION_HEADER]: operationId } : undefined;
  }

  clockOffsetMs(): number | undefined {
    return this.http.platformClock.offsetMs();
  }

  async rawItem(shop: ShopRef, itemId: string): Promise<KsItem> {
    const answer = await this.call(shop, 'open.item.get', { kwaiItemId: toKuaishouLong(itemId) }, true);
    if (!answer.data) {
      const message = `item ${itemId} not found`;
      throw new PlatformError({ platform: 'kuaishou', api: 'open.item.get', code: 'NOT_FOUND', message });
    }
    return answer.data as KsItem;
  }

  skuOf(item: KsItem, skuId: string, api: string): KsSkuInfo {
    const sku = (item.skuInfos ?? item.skuList ?? []).find((s) => idFrom(s.kwaiSkuId) === skuId);
    if (!sku) {
      const message = `SKU ${skuId} not found on item ${idFrom(item.itemId ?? item.kwaiItemId)}`;
      throw new PlatformError({ platform: 'kuaishou', api, code: 'NOT_FOUND', message });
    }
    return sku;
  }

  /** A list range clipped to the platform's reach back in time. */
  withinLookBack(range: { since: number; until: number }): { since: number; until: number } {
    // A small margin keeps the first window inside the platform's 90-day reach despite clock skew.
    const floor = this.clock.now() - this.lookBackMs + 60 * 60_000;
    return { since: Math.max(range.since, floor), until: range.until };
  }
}
