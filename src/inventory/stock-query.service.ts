import { Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import type { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { MerchantSkuEntity } from '../catalog/merchant-sku.entity';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { FieldError, InvalidInputException } from '../common/errors/domain.exception';
import { Db } from '../database/db';
import { SkuStockDetailView, SkuStockView } from './dto/stock.views';
import { StockSettingsDto } from './dto/stock-settings.dto';
import type { StockPageData } from './pages/stock.pages';
import { InventoryRepository } from './inventory.repository';
import { StockLedgerService } from './stock-ledger.service';
import { StockSettingsEntity } from './stock-settings.entity';
import { StockSettingsRepository } from './stock-settings.repository';

/** Read models and settings of the stock ledger for merchants and ops. */
@Injectable()
export class StockQueryService {
  constructor(
    private readonly db: Db,
    private readonly skus: MerchantSkuService,
    private readonly bindings: SkuBindingService,
    private readonly settings: StockSettingsRepository,
    private readonly repo: InventoryRepository,
    private readonly ledger: StockLedgerService,
    private readonly connections: ConnectionsService,
  ) {}

  /** The stock page: every SKU, and the platforms whose connected shop cannot be written now. */
  async workspace(merchantId: string): Promise<StockPageData> {
    const connections = await this.connections.listByMerchant(merchantId);
    const paused = (['kuaishou', 'youzan'] as const)
      .map((platform) => {
        const mine = connections.filter((c) => c.platform === platform && c.status !== 'unbound');
        return mine.length && !mine.some((c) => c.status === 'active') ? { platform, status: mine[0].status } : null;
      })
      .filter((p): p is { platform: 'kuaishou' | 'youzan'; status: ShopConnectionEntity['status'] } => p !== null);
    return { skus: await this.list(merchantId), paused };
  }

  async list(merchantId: string): Promise<SkuStockView[]> {
    const skus = await this.skus.listByMerchant(merchantId);
    const settings = await this.settings.forSkus(skus.map((s) => s.id));
    return Promise.all(skus.map((s) => this.view(s, settings.get(s.id)!)));
  }

  async detail(merchantId: string, skuCode: string): Promise<SkuStockDetailView> {
    const sku = await this.skus.getForMerchant(merchantId, skuCode);
    const [view, ops, drift] = await Promise.all([
      this.view(sku, await this.settings.forSku(sku.id)),
      this.repo.recentOps(sku.id, 20),
      this.repo.recentDrifts(sku.id, 20),
    ]);
    return {
      ...view,
      recentWrites: ops.map((o) => ({
        id: o.id,
        platform: o.platform,
        delta: o.delta,
        status: o.status,
        note: o.note,
        createdAt: o.createdAt,
        settledAt: o.settledAt,
      })),
      recentDrift: drift.map((d) => ({
        platform: d.platform,
        expected: d.expected,
        observed: d.observed,
        action: d.action,
        createdAt: d.createdAt,
      })),
    };
  }

  async updateSettings(merchantId: string, skuCode: string, settings: StockSettingsDto): Promise<SkuStockView> {
    if (!Object.values(settings).some((value) => value !== undefined)) {
      throw new InvalidInputException('NO_SETTINGS', 'Name at least one setting to change.', [
        {
          field: 'body',
          messages: ['must set at least one of safetyStock, allocationMode, scarceBelow, tranche, platformLimits'],
        },
      ]);
    }
    const crossed: FieldError[] = (['kuaishou', 'youzan'] as const)
      .filter((p) => {
        const limits = settings.platformLimits?.[p];
        return limits?.min !== undefined && limits.max !== undefined && limits.min > limits.max;
      })
      .map((p) => ({ field: `platformLimits.${p}.min`, messages: ['min must not be greater than max'] }));
    if (crossed.length)
      throw new InvalidInputException('VALIDATION_FAILED', 'The request has invalid fields.', crossed);
    const sku = await this.skus.getForMerchant(merchantId, skuCode);
    const saved = await this.db.transaction(async () => {
      // Under the ledger lock: a writer's plan sees the old settings or the new ones, never half.
      await this.repo.lockLedger(sku.id, Date.now());
      const stored = await this.settings.forSku(sku.id);
      if (settings.safetyStock !== undefined) stored.safetyStock = settings.safetyStock;
      if (settings.allocationMode !== undefined) stored.allocationMode = settings.allocationMode;
      if (settings.scarceBelow !== undefined) stored.scarceBelow = settings.scarceBelow;
      if (settings.tranche !== undefined) stored.tranche = settings.tranche;
      if (settings.platformLimits !== undefined) stored.platformLimits = { ...settings.platformLimits };
      stored.updatedAt = Date.now();
      await this.settings.save(stored);
      await this.ledger.announce(sku.id, 'settings', stored.updatedAt);
      return stored;
    });
    return this.view(sku, saved);
  }

  async requestReconcile(merchantId: string, skuCode: string): Promise<void> {
    const sku = await this.skus.getForMerchant(merchantId, skuCode);
    await this.db.transaction(() => this.ledger.announce(sku.id, 'reconcile', Date.now(), true));
  }

  private async view(sku: MerchantSkuEntity, settings: StockSettingsEntity): Promise<SkuStockView> {
    const [stock, allocations, bindings] = await Promise.all([
      this.ledger.sellable(sku.id, settings.safetyStock),
      this.repo.allocations(sku.id),
      this.bindings.listByMerchantSku(sku.id),
    ]);
    return {
      merchantSkuId: sku.id,
      skuCode: sku.skuCode,
      title: sku.title,
      managed: stock.reported,
      onHand: stock.onHand,
      reserved: stock.reserved,
      safetyStock: settings.safetyStock,
      sellable: stock.sellable,
      allocationMode: settings.allocationMode,
      scarceBelow: settings.scarceBelow,
      tranche: settings.tranche,
      platformLimits: settings.platformLimits ?? {},
      allocations: allocations.map((a) => ({
        bindingId: a.bindingId,
        platform: a.platform,
        platformSkuId: bindings.find((b) => b.id === a.bindingId)?.platformSkuId ?? '',
        allotted: a.allotted,
        target: a.target,
        established: a.established,
        unwritable: a.unwritable,
      })),
    };
  }
}
