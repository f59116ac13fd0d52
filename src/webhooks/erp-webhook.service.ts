import { Injectable, Logger } from '@nestjs/common';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { ErpOutcome, StockLedgerService } from '../inventory/stock-ledger.service';
import { WebhookDeliveriesService } from './deliveries/webhook-deliveries.service';
import { ErpStockUpdateDto } from './dto/erp-stock-update.dto';

export interface ErpStockResult {
  deliveryId: string;
  duplicate: boolean;
  results: { skuCode: string; outcome: ErpOutcome }[];
}

/** Applies an ERP stock delivery exactly once: its delivery id commits with its effect. */
@Injectable()
export class ErpWebhookService {
  private readonly logger = new Logger(ErpWebhookService.name);

  constructor(
    private readonly db: Db,
    private readonly merchants: MerchantsService,
    private readonly skus: MerchantSkuService,
    private readonly ledger: StockLedgerService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  async applyStock(merchantId: string, deliveryId: string, body: ErpStockUpdateDto): Promise<ErpStockResult> {
    await this.merchants.get(merchantId);
    try {
      return await this.db.transaction(async () => {
        await this.deliveries.take(`erp:${merchantId}`, deliveryId);
        const results: ErpStockResult['results'] = [];
        for (const update of body.updates) {
          const sku = await this.skus.ensure(merchantId, update.skuCode, update.title);
          const outcome = await this.ledger.applyErpOnHand(sku.id, update.onHand, update.sequence, {
            shippedThrough: update.shippedThrough,
          });
          if (outcome === 'stale')
            this.logger.warn(
              { deliveryId, skuCode: update.skuCode, sequence: update.sequence },
              'stale ERP stock sequence ignored',
            );
          results.push({ skuCode: update.skuCode, outcome });
        }
        return { deliveryId, duplicate: false, results };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { deliveryId, duplicate: true, results: [] };
    }
  }
}
