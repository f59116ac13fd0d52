import { Injectable } from '@nestjs/common';
import { NotFoundDomainException } from '../../common/errors/domain.exception';
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
}

export interface RefundPageView {
  items: RefundView[];
  total: number;
  page: number;
  pageSize: number;
}

export function refundView(r: ChannelRefundEntity): RefundView {
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
  };
}

/** Reads of the after-sales registry, always within one merchant. */
@Injectable()
export class RefundsService {
  constructor(private readonly refunds: RefundRepository) {}

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
    return { items: rows.map(refundView), total, page, pageSize };
  }

  /** Another merchant's refund is answered like a missing one. */
  async getForMerchant(merchantId: string, refundId: string): Promise<RefundView> {
    const row = await this.refunds.findForMerchant(merchantId, refundId);
    if (!row) throw new NotFoundDomainException('REFUND_NOT_FOUND', `no refund ${refundId}`);
    return refundView(row);
  }
}
