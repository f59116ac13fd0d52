import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { MerchantSkuEntity } from './merchant-sku.entity';
import { MerchantSkuRepository } from './merchant-sku.repository';

/** The merchant's own SKUs: catalog alone creates them; other contexts read them through here. */
@Injectable()
export class MerchantSkuService {
  constructor(
    private readonly skus: MerchantSkuRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The SKU with this code, created when new (a concurrent creator wins the unique key). */
  async ensure(merchantId: string, skuCode: string, title?: string): Promise<MerchantSkuEntity> {
    const now = this.clock.now();
    return this.skus.findOrCreate(
      Object.assign(new MerchantSkuEntity(), {
        id: this.ids.uuid(),
        merchantId,
        skuCode,
        title: title ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  findById(id: string): Promise<MerchantSkuEntity | null> {
    return this.skus.findById(id);
  }

  findByCode(merchantId: string, skuCode: string): Promise<MerchantSkuEntity | null> {
    return this.skus.findByCode(merchantId, skuCode);
  }

  /** The merchant's SKU with this code; 404 when the merchant has none (another merchant's SKU included). */
  async getForMerchant(merchantId: string, skuCode: string): Promise<MerchantSkuEntity> {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    if (!sku) throw new NotFoundDomainException('SKU_NOT_FOUND', `merchant has no SKU ${skuCode}`);
    return sku;
  }

  listByMerchant(merchantId: string): Promise<MerchantSkuEntity[]> {
    return this.skus.listByMerchant(merchantId);
  }
}
