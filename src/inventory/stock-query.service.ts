import { Injectable } from '@nestjs/common';
import { MerchantSkuEntity } from '../catalog/merchant-sku.entity';
import { MerchantSkuRepository } from '../catalog/merchant-sku.repository';
import { SkuBindingRepository } from '../catalog/sku-binding.repository';
import { FieldError, InvalidInputException, NotFoundDomainException } from '../common/errors/domain.exception';
import { Db } from '../database/db';
import { SkuStockDetailView, SkuStockView } from './dto/stock.views';
import { StockSettingsDto } from './dto/stock-settings.dto';
import { InventoryRepository } from './inventory.repository';
import { StockLedgerService } from './stock-ledger.service';

/** Read models and settings of the stock ledger for merchants and ops. */
@Injectable()
export class StockQueryService {
  constructor(
    private readonly db: Db,
    private readonly skus: MerchantSkuRepository,
    private readonly bindings: SkuBindingRepository,
    private readonly repo: InventoryRepository,
    private readonly ledger: StockLedgerService,
  ) {}

  async list(merchantId: string): Promise<SkuStockView[]> {
    return Promise.all((await this.skus.listByMerchant(merchantId)).map((s) => this.view(s)));
  }

  async detail(merchantId: string, skuCode: string): Promise<SkuStockDetailView> {
    const sku = await this.sku(merchantId, skuCode);
    const [view, ops, drift] = await Promise.all([this.view(sku), this.repo.recentOps(sku.id, 20), this.repo.recentDrifts(sku.id, 20)]);
    return {
      ...view,
      recentWrites: ops.map((o) => ({ id: o.id, platform: o.platform, delta: o.delta, status: o.status, note: o.note, createdAt: o.createdAt, settledAt: o.settledAt })),
      recentDrift: drift.map((d) => ({ platform: d.platform, expected: d.expected, observed: d.observed, action: d.action, createdAt: d.createdAt })),
    };
  }

  async updateSettings(merchantId: string, skuCode: string, settings: StockSettingsDto): Promise<SkuStockView> {
    const crossed: FieldError[] = (['kuaishou', 'youzan'] as const)
      .filter((p) => {
        const limits = settings.platformLimits?.[p];
        return limits?.min !== undefined && limits.max !== undefined && limits.min > limits.max;
      })
      .map((p) => ({ field: `platformLimits.${p}.min`, messages: ['min must not be greater than max'] }));
    if (crossed.length) throw new InvalidInputException('VALIDATION_FAILED', 'The request has invalid fields.', crossed);
    const sku = await this.sku(merchantId, skuCode);
    await this.db.transaction(async () => {
      // Under the ledger lock: a writer's plan sees the old settings or the new ones, never half.
      await this.repo.lockLedger(sku.id, Date.now());
      if (settings.safetyStock !== undefined) sku.safetyStock = settings.safetyStock;
      if (settings.allocationMode !== undefined) sku.allocationMode = settings.allocationMode;
      if (settings.scarceBelow !== undefined) sku.scarceBelow = settings.scarceBelow;
      if (settings.tranche !== undefined) sku.tranche = settings.tranche;
      if (settings.platformLimits !== undefined) sku.platformLimits = { ...settings.platformLimits };
      sku.updatedAt = Date.now();
      await this.skus.save(sku);
      await this.ledger.announce(sku.id, 'settings', sku.updatedAt);
    });
    return this.view(sku);
  }

  async requestReconcile(merchantId: string, skuCode: string): Promise<void> {
    const sku = await this.sku(merchantId, skuCode);
    await this.db.transaction(() => this.ledger.announce(sku.id, 'reconcile', Date.now(), true));
  }

  private async sku(merchantId: string, skuCode: string): Promise<MerchantSkuEntity> {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    if (!sku) throw new NotFoundDomainException('SKU_NOT_FOUND', `merchant has no SKU ${skuCode}`);
    return sku;
  }

  private async view(sku: MerchantSkuEntity): Promise<SkuStockView> {
    const [stock, allocations, bindings] = await Promise.all([this.ledger.sellable(sku.id, sku.safetyStock), this.repo.allocations(sku.id), this.bindings.listByMerchantSku(sku.id)]);
    return {
      merchantSkuId: sku.id,
      skuCode: sku.skuCode,
      title: sku.title,
      managed: stock.reported,
      onHand: stock.onHand,
      reserved: stock.reserved,
      safetyStock: sku.safetyStock,
      sellable: stock.sellable,
      allocationMode: sku.allocationMode,
      scarceBelow: sku.scarceBelow,
      tranche: sku.tranche,
      platformLimits: sku.platformLimits ?? {},
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
