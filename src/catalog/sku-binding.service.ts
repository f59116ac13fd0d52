import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { CLOCK, Clock } from '../common/clock';
import { ConflictDomainException, NotFoundDomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { skuBoundTopic } from '../messaging/contracts/sku-bound/sku-bound.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { Platform, ShopRef } from '../platforms/ports/platform.types';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { MerchantSkuEntity } from './merchant-sku.entity';
import { MerchantSkuService } from './merchant-sku.service';
import { BindingSource, SkuBindingEntity } from './sku-binding.entity';
import { SkuBindingRepository } from './sku-binding.repository';

/** What a merchant SKU code may look like (also checked on ERP webhooks and manual binding). */
export const SKU_CODE = /^[A-Za-z0-9._\-/]{1,64}$/;

export interface ShopIdentity {
  connectionId: string;
  merchantId: string;
  platform: Platform;
  shopId: string;
}

/**
 * Runs inside the transaction that deletes a binding, before the row goes: inventory registers one
 * to keep the units of the unbound listing counted (catalog does not depend on inventory).
 */
export type BindingRemovedHook = (binding: SkuBindingEntity) => Promise<void>;

export interface PlatformSku {
  platformItemId: string;
  platformSkuId: string;
  outerSkuId?: string | null;
}

/**
 * Which platform SKU is which merchant SKU. Bound automatically when a platform SKU carries a
 * merchant SKU code as its outer code, or by hand for listings that do not.
 */
@Injectable()
export class SkuBindingService {
  private readonly logger = new Logger(SkuBindingService.name);
  private readonly removedHooks: BindingRemovedHook[] = [];

  constructor(
    private readonly db: Db,
    private readonly skus: MerchantSkuService,
    private readonly bindings: SkuBindingRepository,
    private readonly outbox: OutboxService,
    private readonly connections: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Every binding of one shop (a shop being disconnected drains them all). */
  listForConnection(connectionId: string): Promise<SkuBindingEntity[]> {
    return this.bindings.listByConnection(connectionId);
  }

  /** The merchant SKU of a platform SKU, binding it by outer code when possible; null when unknown. */
  async resolve(shop: ShopIdentity, sku: PlatformSku): Promise<SkuBindingEntity | null> {
    const bound = await this.bindings.findByPlatformSku(shop.connectionId, sku.platformItemId, sku.platformSkuId);
    if (bound) return bound;
    if (!sku.outerSkuId) return null;
    const merchantSku = await this.skus.findByCode(shop.merchantId, sku.outerSkuId);
    if (!merchantSku) return null;
    return this.bind(shop, merchantSku, sku, 'auto');
  }

  /** Binds a platform SKU of one of the merchant's shops by hand (a shop of another merchant is not found). */
  bindManually(merchantId: string, connectionId: string, skuCode: string, sku: PlatformSku): Promise<SkuBindingEntity> {
    return this.bindToCode(merchantId, connectionId, skuCode, sku, 'manual');
  }

  /**
   * Binds a SKU of an item this service published (or found as the twin of a published item) to the
   * merchant SKU of its code, creating the merchant SKU when new. Repeat-safe.
   */
  bindListed(merchantId: string, connectionId: string, skuCode: string, sku: PlatformSku): Promise<SkuBindingEntity> {
    return this.bindToCode(
      merchantId,
      connectionId,
      skuCode,
      { ...sku, outerSkuId: sku.outerSkuId ?? skuCode },
      'auto',
    );
  }

  /** The merchant SKU of `skuCode` (created when new) bound to the platform SKU, unless it is bound to another. */
  private async bindToCode(
    merchantId: string,
    connectionId: string,
    skuCode: string,
    sku: PlatformSku,
    source: BindingSource,
  ): Promise<SkuBindingEntity> {
    const shop = await this.ownedShop(merchantId, connectionId);
    return this.db.transaction(async () => {
      const merchantSku = await this.skus.ensure(shop.merchantId, skuCode);
      const existing = await this.bindings.findByPlatformSku(shop.connectionId, sku.platformItemId, sku.platformSkuId);
      if (existing && existing.merchantSkuId !== merchantSku.id) {
        throw new ConflictDomainException(
          'SKU_ALREADY_BOUND',
          `platform SKU ${sku.platformSkuId} is bound to another merchant SKU; unbind it first`,
        );
      }
      return existing ?? this.bind(shop, merchantSku, sku, source);
    });
  }

  /** The binding of the merchant SKU with this code in one shop, or null (no such SKU, or not bound there). */
  async findInShop(merchantId: string, connectionId: string, skuCode: string): Promise<SkuBindingEntity | null> {
    const merchantSku = await this.skus.findByCode(merchantId, skuCode);
    return merchantSku ? this.bindings.findForShop(merchantSku.id, connectionId) : null;
  }

  private async ownedShop(merchantId: string, connectionId: string): Promise<ShopIdentity> {
    const connection = await this.connections.getOwned(merchantId, connectionId);
    return { connectionId: connection.id, merchantId, platform: connection.platform, shopId: connection.shopId };
  }

  onBindingRemoved(hook: BindingRemovedHook): void {
    this.removedHooks.push(hook);
  }

  findById(id: string): Promise<SkuBindingEntity | null> {
    return this.bindings.findById(id);
  }

  /** The shop (connection) of each binding that still exists, by binding id. */
  async connectionIdsOf(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.bindings.connectionIdsOf([...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r.connectionId]));
  }

  /** 404 for another merchant's binding, so its existence is not confirmed. */
  async getForMerchant(merchantId: string, bindingId: string): Promise<SkuBindingEntity> {
    const binding = await this.bindings.findById(bindingId);
    if (!binding || binding.merchantId !== merchantId)
      throw new NotFoundDomainException('BINDING_NOT_FOUND', `no SKU binding ${bindingId}`);
    return binding;
  }

  listByMerchant(merchantId: string): Promise<SkuBindingEntity[]> {
    return this.bindings.listByMerchant(merchantId);
  }

  listByMerchantSku(merchantSkuId: string): Promise<SkuBindingEntity[]> {
    return this.bindings.listByMerchantSku(merchantSkuId);
  }

  async unbind(merchantId: string, bindingId: string): Promise<void> {
    await this.db.transaction(async () => {
      const binding = await this.getForMerchant(merchantId, bindingId);
      for (const hook of this.removedHooks) await hook(binding);
      await this.bindings.delete(bindingId);
    });
  }

  /**
   * Lists the shop's items and binds every SKU that carries a merchant SKU code as its outer code
   * (creating the merchant SKU when new: it stays unmanaged, platforms untouched, until the ERP
   * reports its stock).
   */
  async discover(
    merchantId: string,
    connectionId: string,
  ): Promise<{ scanned: number; bound: number; unmatched: string[] }> {
    const shop = await this.ownedShop(merchantId, connectionId);
    const ref: ShopRef = { platform: shop.platform, connectionId: shop.connectionId, shopId: shop.shopId };
    const catalog = this.channels.catalog(shop.platform);
    let page = 1;
    let scanned = 0;
    let bound = 0;
    const unmatched: string[] = [];
    for (;;) {
      const { items, total } = await catalog.listItems(ref, { page, pageSize: 50 });
      for (const item of items) {
        for (const sku of item.skus) {
          scanned++;
          const before = await this.bindings.findByPlatformSku(shop.connectionId, item.itemId, sku.skuId);
          if (!before && sku.outerSkuId && SKU_CODE.test(sku.outerSkuId))
            await this.skus.ensure(shop.merchantId, sku.outerSkuId, item.title);
          const binding = await this.resolve(shop, {
            platformItemId: item.itemId,
            platformSkuId: sku.skuId,
            outerSkuId: sku.outerSkuId,
          });
          if (binding && !before) bound++;
          if (!binding) unmatched.push(sku.outerSkuId ?? `${item.itemId}/${sku.skuId}`);
        }
      }
      if (!items.length || page * 50 >= total) break;
      page++;
    }
    return { scanned, bound, unmatched };
  }

  private async bind(
    shop: ShopIdentity,
    merchantSku: MerchantSkuEntity,
    sku: PlatformSku,
    by: BindingSource,
  ): Promise<SkuBindingEntity> {
    return this.db.transaction(async () => {
      const taken = await this.bindings.findForShop(merchantSku.id, shop.connectionId);
      if (taken && (taken.platformItemId !== sku.platformItemId || taken.platformSkuId !== sku.platformSkuId)) {
        throw new ConflictDomainException(
          'MERCHANT_SKU_ALREADY_BOUND',
          `merchant SKU ${merchantSku.skuCode} is already bound to platform SKU ${taken.platformSkuId} in this shop`,
        );
      }
      if (taken) return taken;
      const binding = Object.assign(new SkuBindingEntity(), {
        id: this.ids.uuid(),
        merchantId: shop.merchantId,
        merchantSkuId: merchantSku.id,
        platform: shop.platform,
        connectionId: shop.connectionId,
        platformItemId: sku.platformItemId,
        platformSkuId: sku.platformSkuId,
        outerSkuId: sku.outerSkuId ?? null,
        boundBy: by,
        createdAt: this.clock.now(),
      });
      await this.bindings.insert(binding);
      await this.outbox.enqueue(skuBoundTopic, {
        bindingId: binding.id,
        merchantSkuId: merchantSku.id,
        platform: shop.platform,
        platformSkuId: sku.platformSkuId,
        boundBy: by,
      });
      this.logger.log(`bound ${shop.platform} SKU ${sku.platformSkuId} to ${merchantSku.skuCode} (${by})`);
      return binding;
    });
  }
}
