import { Inject, Injectable } from '@nestjs/common';
import { NotFoundDomainException } from '../../common/errors/domain.exception';
import type { RefundAction } from '../../platforms/ports/after-sales.port';
import { ChannelRegistry, CHANNELS } from '../../platforms/ports/channel.registry';
import { ChannelRefundEntity } from './channel-refund.entity';
import { RefundFilter, RefundRepository } from './refund.repository';

export interface RefundView {
  id: string;
  platform: string;
  platformRefundId: string;
  platformOrderId: string;
  orderId: string | null;
  platformLineIds: string[];
  status: string;
  rawStatus: string;
  kind: string;
  priceProtection: boolean;
  quantity: number | null;
  restockUnits: number;
  amountFen: number;
  reason: string | null;
  platformCreatedAt: number;
  platformUpdatedAt: number;
  updatedAt: number;
  /** Seller actions the platform offers in the refund's last known state. */
  actions: RefundAction[];
}

export interface RefundPageView {
  items: RefundView[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the platform offers for a refund as the registry last saw it (its raw status and kind). */
export function offeredActions(channels: ChannelRegistry, r: ChannelRefundEntity): RefundAction[] {
  return channels.afterSales(r.platform).actionsFor({
    refundId: r.platformRefundId,
    orderId: r.platformOrderId,
    lineIds: [],
    status: r.status,
    rawStatus: r.rawStatus,
    kind: r.kind,
    amountFen: r.amountFen,
    createdAt: r.platformCreatedAt,
    updatedAt: r.platformUpdatedAt,
  });
}

export function refundView(r: ChannelRefundEntity, actions: RefundAction[] = []): RefundView {
  return {
    id: r.id,
    platform: r.platform,
    platformRefundId: r.platformRefundId,
    platformOrderId: r.platformOrderId,
    orderId: r.orderId,
    platformLineIds: r.platformLineIds ? r.platformLineIds.split(',').filter(Boolean) : [],
    status: r.status,
    rawStatus: r.rawStatus,
    kind: r.kind,
    priceProtection: r.priceProtection === 1,
    quantity: r.quantity,
    restockUnits: r.restockUnits,
    amountFen: r.amountFen,
    reason: r.reason,
    platformCreatedAt: r.platformCreatedAt,
    platformUpdatedAt: r.platformUpdatedAt,
    updatedAt: r.updatedAt,
    actions,
  };
}

/** Reads of the after-sales registry, always within one merchant. */
@Injectable()
export class RefundsService {
  constructor(
    private readonly refunds: RefundRepository,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
  ) {}

  async listForMerchant(
    merchantId: string,
    filter: Omit<RefundFilter, 'limit' | 'offset'>,
    page: number,
    pageSize: number,
  ): Promise<RefundPageView> {
    const [rows, total] = await this.refunds.list(merchantId, {
      ...filter,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: rows.map((r) => refundView(r, offeredActions(this.channels, r))), total, page, pageSize };
  }

  /** Another merchant's refund is answered like a missing one. */
  async getForMerchant(merchantId: string, refundId: string): Promise<RefundView> {
    const row = await this.refunds.findForMerchant(merchantId, refundId);
    if (!row) throw new NotFoundDomainException('REFUND_NOT_FOUND', `no refund ${refundId}`);
    return refundView(row, offeredActions(this.channels, row));
  }
}
