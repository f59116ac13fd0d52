import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { Db } from '../database/db';
import { ErpPriceEntity } from './erp-price.entity';
import { PriceDriftEntity } from './price-drift.entity';
import { PricePolicyEntity } from './price-policy.entity';
import { PriceWriteOpEntity } from './price-write-op.entity';

@Injectable()
export class PricingRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  policies(merchantId: string, scopes: string[]): Promise<PricePolicyEntity[]> {
    return this.m.getRepository(PricePolicyEntity).findBy({ merchantId, scope: In(scopes) });
  }

  policy(merchantId: string, scope: string): Promise<PricePolicyEntity | null> {
    return this.m.getRepository(PricePolicyEntity).findOneBy({ merchantId, scope });
  }

  async savePolicy(policy: PricePolicyEntity): Promise<void> {
    await this.m.getRepository(PricePolicyEntity).save(policy);
  }

  async insertOp(op: PriceWriteOpEntity): Promise<void> {
    await this.m.getRepository(PriceWriteOpEntity).insert(op);
  }

  async saveOp(op: PriceWriteOpEntity): Promise<void> {
    await this.m.getRepository(PriceWriteOpEntity).save(op);
  }

  pendingOps(merchantSkuId: string): Promise<PriceWriteOpEntity[]> {
    return this.m.getRepository(PriceWriteOpEntity).find({ where: { merchantSkuId, status: 'pending' }, order: { createdAt: 'ASC' } });
  }

  /** Merchant SKUs with a write journaled before `before` and never settled (its writer died). */
  async skusWithPendingOps(before: number, limit: number): Promise<string[]> {
    const rows = await this.m.getRepository(PriceWriteOpEntity).find({ select: { merchantSkuId: true }, where: { status: 'pending', createdAt: LessThan(before) }, order: { createdAt: 'ASC' }, take: limit * 4 });
    return [...new Set(rows.map((r) => r.merchantSkuId))].slice(0, limit);
  }

  /** The last price the service saw applied per binding (what the audit expects to find). */
  async lastApplied(merchantSkuId: string): Promise<Map<string, number>> {
    const ops = await this.m.getRepository(PriceWriteOpEntity).find({ where: { merchantSkuId, status: 'applied' }, order: { createdAt: 'ASC' } });
    return new Map(ops.map((op) => [op.bindingId, op.priceFen]));
  }

  history(merchantSkuId: string, limit: number): Promise<PriceWriteOpEntity[]> {
    return this.m.getRepository(PriceWriteOpEntity).find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  drifts(merchantSkuId: string, limit: number): Promise<PriceDriftEntity[]> {
    return this.m.getRepository(PriceDriftEntity).find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async insertDrift(drift: Omit<PriceDriftEntity, 'id'>): Promise<void> {
    await this.m.getRepository(PriceDriftEntity).insert(drift);
  }

  erpPrice(merchantSkuId: string): Promise<ErpPriceEntity | null> {
    return this.m.getRepository(ErpPriceEntity).findOneBy({ merchantSkuId });
  }

  /** Row-locked on MariaDB (the caller runs in a transaction), so two deliveries compare sequences one at a time. */
  lockErpPrice(merchantSkuId: string): Promise<ErpPriceEntity | null> {
    const repo = this.m.getRepository(ErpPriceEntity);
    return this.db.isMysql ? repo.findOne({ where: { merchantSkuId }, lock: { mode: 'pessimistic_write' } }) : repo.findOneBy({ merchantSkuId });
  }

  async saveErpPrice(row: ErpPriceEntity): Promise<void> {
    await this.m.getRepository(ErpPriceEntity).save(row);
  }
}
