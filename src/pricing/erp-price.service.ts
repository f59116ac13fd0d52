import { Inject, Injectable } from '@nestjs/common';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { priceChangedTopic } from '../messaging/contracts/price-changed/price-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { WebhookDeliveriesService } from '../webhooks/deliveries/webhook-deliveries.service';
import { ErpPriceUpdateDto } from './dto/erp-price-update.dto';
import { ErpPriceEntity } from './erp-price.entity';
import { derivePrice, spreadBp, withinLimit } from './parity';
import { journalRefusal } from './price-change.service';
import { PriceListingsService } from './price-listings.service';
import { PricePolicyService, rulesFor } from './price-policy.service';
import { PricingRepository } from './pricing.repository';

/**
 * applied: handed to the SKU's price writer (master ERP); recorded: kept, nothing to write (another
 * master, or no listing in a connected shop); stale: sequence not newer; refused: the derived
 * prices would break the parity limit among themselves (see `proposed`).
 */
export type ErpPriceOutcome = 'applied' | 'recorded' | 'stale' | 'refused';

export interface ErpPriceResult {
  deliveryId: string;
  duplicate: boolean;
  results: {
    skuCode: string;
    outcome: ErpPriceOutcome;
    proposed?: Record<string, number>;
    limitBp?: number;
    spreadBp?: number;
  }[];
}

/** ERP price deliveries, applied exactly once (the delivery id commits with the effect). */
@Injectable()
export class ErpPriceService {
  constructor(
    private readonly db: Db,
    private readonly merchants: MerchantsService,
    private readonly skus: MerchantSkuService,
    private readonly listings: PriceListingsService,
    private readonly policies: PricePolicyService,
    private readonly repo: PricingRepository,
    private readonly outbox: OutboxService,
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async apply(merchantId: string, deliveryId: string, body: ErpPriceUpdateDto): Promise<ErpPriceResult> {
    await this.merchants.get(merchantId);
    try {
      return await this.db.transaction(async () => {
        const now = this.clock.now();
        // 'prc:' + the merchant UUID fits the 40 characters whole (ERP stock deliveries use 'erp:').
        await this.deliveries.take(`prc:${merchantId}`, deliveryId);
        const results: ErpPriceResult['results'] = [];
        for (const update of body.updates) {
          const sku = await this.skus.ensure(merchantId, update.skuCode);
          const row = await this.repo.lockErpPrice(sku.id);
          if (row && update.sequence <= row.sequence) {
            results.push({ skuCode: update.skuCode, outcome: 'stale' });
            continue;
          }
          await this.repo.saveErpPrice(
            Object.assign(row ?? new ErpPriceEntity(), {
              merchantSkuId: sku.id,
              priceFen: update.priceFen,
              sequence: update.sequence,
              updatedAt: now,
            }),
          );
          const policy = await this.policies.effective(merchantId, sku.id);
          const lanes = await this.listings.lanes(sku.id);
          if (policy.master !== 'erp' || !lanes.length) {
            results.push({ skuCode: update.skuCode, outcome: 'recorded' });
            continue;
          }
          const targets = Object.fromEntries(
            lanes.map((l) => [l.binding.id, derivePrice(update.priceFen, rulesFor(policy, l.shop.platform))]),
          );
          // A known but unbound twin listing counts as well: its last seen price stays where it is.
          const twins = await this.listings.unboundPrices(sku.id, lanes);
          const all = { ...twins.prices, ...targets };
          if (!withinLimit(Object.values(all), policy.parityLimitBp)) {
            const proposed = Object.fromEntries(lanes.map((l) => [l.shop.platform, targets[l.binding.id]]));
            const message = `ERP price ${update.priceFen} fen (sequence ${update.sequence}): the derived prices break the ${policy.parityLimitBp / 100}% limit`;
            await journalRefusal(
              this.db,
              this.repo,
              this.ids,
              this.clock,
              lanes,
              { message, current: twins.byPlatform, proposed },
              'erp',
            );
            results.push({
              skuCode: update.skuCode,
              outcome: 'refused',
              proposed,
              limitBp: policy.parityLimitBp,
              spreadBp: spreadBp(Object.values(all)),
            });
            continue;
          }
          // The writer steps from the live prices so that no intermediate state breaks the limit.
          await this.outbox.enqueue(priceChangedTopic, {
            merchantSkuId: sku.id,
            reason: 'erp',
            targets,
            requestedAt: now,
            sequence: update.sequence,
          });
          results.push({ skuCode: update.skuCode, outcome: 'applied' });
        }
        return { deliveryId, duplicate: false, results };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { deliveryId, duplicate: true, results: [] };
    }
  }
}
