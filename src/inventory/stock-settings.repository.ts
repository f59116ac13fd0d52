import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { defaultStockSettings, StockSettingsEntity } from './stock-settings.entity';

@Injectable()
export class StockSettingsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(StockSettingsEntity);
  }

  /** The SKU's settings, or the defaults when it has none stored. */
  async forSku(merchantSkuId: string): Promise<StockSettingsEntity> {
    return (await this.repo.findOneBy({ merchantSkuId })) ?? defaultStockSettings(merchantSkuId);
  }

  async forSkus(merchantSkuIds: string[]): Promise<Map<string, StockSettingsEntity>> {
    const stored = merchantSkuIds.length ? await this.repo.findBy({ merchantSkuId: In(merchantSkuIds) }) : [];
    const byId = new Map(stored.map((s) => [s.merchantSkuId, s]));
    return new Map(merchantSkuIds.map((id) => [id, byId.get(id) ?? defaultStockSettings(id)]));
  }

  save(settings: StockSettingsEntity): Promise<StockSettingsEntity> {
    return this.repo.save(settings);
  }
}
