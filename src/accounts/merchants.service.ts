import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import type { MerchantDirectory } from '../auth/merchant-directory.port';
import { MerchantNotFoundException } from './accounts.errors';
import { MerchantEntity } from './merchant.entity';
import { MerchantRepository } from './merchant.repository';
import { ShopConnectionEntity } from './shop-connection.entity';
import { ShopConnectionRepository } from './shop-connection.repository';
import { StorePairEntity } from './store-pair.entity';
import { StorePairRepository } from './store-pair.repository';

export interface MerchantOverview {
  merchant: MerchantEntity;
  connections: ShopConnectionEntity[];
  pairs: StorePairEntity[];
}

@Injectable()
export class MerchantsService implements MerchantDirectory {
  constructor(
    private readonly db: Db,
    private readonly merchants: MerchantRepository,
    private readonly connections: ShopConnectionRepository,
    private readonly pairs: StorePairRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async create(name: string): Promise<MerchantEntity> {
    const now = this.clock.now();
    const merchant = Object.assign(new MerchantEntity(), {
      id: this.ids.uuid(),
      name: name.trim(),
      createdAt: now,
      updatedAt: now,
    });
    return this.db.transaction(() => this.merchants.save(merchant));
  }

  list(): Promise<MerchantEntity[]> {
    return this.merchants.listAll();
  }

  /** Operators (no merchant) see every merchant; a merchant user only their own. */
  async listVisibleTo(merchantId: string | null): Promise<MerchantEntity[]> {
    return merchantId ? [await this.get(merchantId)] : this.list();
  }

  async get(id: string): Promise<MerchantEntity> {
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw new MerchantNotFoundException(id);
    return merchant;
  }

  /** Locks the merchant's row until the transaction ends. */
  async lock(id: string): Promise<void> {
    await this.merchants.lockById(id);
  }

  async overview(id: string): Promise<MerchantOverview> {
    const merchant = await this.get(id);
    const [connections, pairs] = await Promise.all([
      this.connections.listByMerchant(id),
      this.pairs.listByMerchant(id),
    ]);
    return { merchant, connections, pairs };
  }
}
