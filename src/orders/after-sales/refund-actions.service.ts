import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../../accounts/connections.service';
import { ShopIdentity } from '../../catalog/sku-binding.service';
import { CLOCK, Clock } from '../../common/clock';
import {
  ConflictDomainException,
  DomainException,
  FieldError,
  InvalidInputException,
  NotFoundDomainException,
} from '../../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../../common/ids';
import { isPlatformError } from '../../platforms/platform-error';
import {
  ChannelRefund,
  RefundAction,
  RefundActionInput,
  RefusalReason,
  ShopReturnAddress,
} from '../../platforms/ports/after-sales.port';
import { ChannelRegistry, CHANNELS } from '../../platforms/ports/channel.registry';
import { RefundActionEntity } from './refund-action.entity';
import { RefundActionRepository } from './refund-action.repository';
import { RefundIngestService } from './refund-ingest.service';
import { RefundRepository } from './refund.repository';
import { ChannelRefundEntity } from './channel-refund.entity';
import { offeredActions, refundView, RefundView } from './refunds.service';

export interface RefundActionRequest {
  action: RefundAction;
  reason?: string;
  reasonCode?: number;
  returnAddress?: { name: string; mobile: string; address: string };
  returnAddressId?: string;
}

export interface RefundActionOptions {
  platform: string;
  /** The seller actions the platform offers for the refund now. */
  actions: RefundAction[];
  /** Codes `refuse` takes (`reasonCode`); null when the platform takes the reason text only. */
  refusalReasons: RefusalReason[] | null;
  /** The shop's return addresses (`returnAddressId` of `agree_return`); null when given with each return. */
  returnAddresses: ShopReturnAddress[] | null;
}

export interface RefundActionView {
  id: string;
  action: RefundAction;
  status: string;
  platformVersion: string;
  reason: string | null;
  error: string | null;
  statusAfter: string | null;
  createdAt: number;
  settledAt: number | null;
}

export interface RefundActionResult {
  /** True when this action had already been applied: nothing was sent again. */
  repeated: boolean;
  action: RefundActionView;
  refund: RefundView;
}

export function refundActionView(a: RefundActionEntity): RefundActionView {
  return {
    id: a.id,
    action: a.action,
    status: a.status,
    platformVersion: a.platformVersion,
    reason: a.reason,
    error: a.error,
    statusAfter: a.statusAfter,
    createdAt: a.createdAt,
    settledAt: a.settledAt,
  };
}

/**
 * The seller's answer to a refund, sent through the after-sales port. The refund is read from the
 * platform first (its state and version), the action journaled once per (refund, action, version)
 * before it is sent, and the refund read again after: the registry, its stock effect (only the
 * ledger's refund rule, in the ingest) and the ERP events follow from the platform's state, never
 * from what was asked.
 */
@Injectable()
export class RefundActionsService {
  constructor(
    private readonly refunds: RefundRepository,
    private readonly journal: RefundActionRepository,
    private readonly ingest: RefundIngestService,
    private readonly connections: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async act(
    merchantId: string,
    refundId: string,
    request: RefundActionRequest,
    actorId: string,
  ): Promise<RefundActionResult> {
    const { shop, row } = await this.shopOf(merchantId, refundId);
    const port = this.channels.afterSales(shop.platform);
    const detail = await port.getRefund(shop, row.platformRefundId);
    await this.ingest.ingest(shop, detail);

    if (!port.actionsFor(detail).includes(request.action)) {
      const done = await this.journal.lastApplied(row.id, request.action);
      if (done) return this.result(true, done, refundId);
      const offered = port.actionsFor(detail);
      throw new DomainException(
        'REFUND_ACTION_NOT_ALLOWED',
        `${request.action} is not possible for this refund now (platform status ${detail.rawStatus}); possible: ${offered.join(', ') || 'none'}`,
      );
    }
    await this.checkInput(shop, detail, request);

    const now = this.clock.now();
    const version = detail.version ?? String(detail.updatedAt);
    const entry = Object.assign(new RefundActionEntity(), {
      id: this.ids.uuid(),
      merchantId,
      refundId: row.id,
      action: request.action,
      platformVersion: version.slice(0, 40),
      status: 'sending',
      actorId,
      reason: request.reason?.slice(0, 200) ?? null,
      error: null,
      statusAfter: null,
      createdAt: now,
      settledAt: null,
    } satisfies RefundActionEntity);
    let journaled: RefundActionEntity = entry;
    if (!(await this.journal.insertIfNew(entry))) {
      const existing = await this.journal.findOnce(row.id, request.action, entry.platformVersion);
      if (!existing) throw new ConflictDomainException('REFUND_ACTION_IN_PROGRESS', 'the action is being sent');
      if (existing.status === 'applied') return this.result(true, existing, refundId);
      if (existing.status === 'sending' || !(await this.journal.retryFailed(existing.id, actorId, now)))
        throw new ConflictDomainException('REFUND_ACTION_IN_PROGRESS', 'the same action is being sent already');
      journaled = existing;
    }
    await this.send(shop, journaled, { ...request, refund: detail });
    return this.result(false, (await this.journal.findOnce(row.id, request.action, entry.platformVersion))!, refundId);
  }

  async history(merchantId: string, refundId: string): Promise<RefundActionView[]> {
    const row = await this.refunds.findForMerchant(merchantId, refundId);
    if (!row) throw new NotFoundDomainException('REFUND_NOT_FOUND', `no refund ${refundId}`);
    return (await this.journal.ofRefund(row.id)).map(refundActionView);
  }

  /**
   * Sends the action once. Whatever the answer, the refund is read again: a timeout whose call did
   * land shows as the refund having moved on, and counts as applied.
   */
  private async send(shop: ShopIdentity, entry: RefundActionEntity, input: RefundActionInput): Promise<void> {
    const port = this.channels.afterSales(shop.platform);
    let failure: unknown;
    try {
      await port.act(shop, input);
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      failure = error;
    }
    let after: ChannelRefund | undefined;
    try {
      after = await port.getRefund(shop, input.refund.refundId);
      await this.ingest.ingest(shop, after);
    } catch (error) {
      if (!isPlatformError(error)) throw error;
    }
    const moved = after !== undefined && (after.version ?? String(after.updatedAt)) !== entry.platformVersion;
    const now = this.clock.now();
    if (!failure || moved) {
      await this.journal.settle(entry.id, 'applied', now, { statusAfter: after?.rawStatus ?? null });
      return;
    }
    const error = failure as { message: string; rawCode?: string; code: string };
    const text = [error.rawCode, error.message].filter(Boolean).join(' ');
    await this.journal.settle(entry.id, 'failed', now, { error: text, statusAfter: after?.rawStatus ?? null });
    const kind = ['TEMPORARY', 'RATE_LIMITED'].includes(error.code) ? 'unavailable' : 'unprocessable';
    throw new DomainException('REFUND_ACTION_REFUSED', `the platform refused ${entry.action}: ${text}`, kind);
  }

  /** The actions the platform offers for the refund as the registry last saw it. */
  offered(row: ChannelRefundEntity): RefundAction[] {
    return offeredActions(this.channels, row);
  }

  /**
   * What the platform takes for this refund's actions: its refusal reason codes (null: a free-text
   * reason only) and the shop's return addresses (null: give one with each return).
   */
  async options(merchantId: string, refundId: string): Promise<RefundActionOptions> {
    const { shop, row } = await this.shopOf(merchantId, refundId);
    const port = this.channels.afterSales(shop.platform);
    const detail = await port.getRefund(shop, row.platformRefundId);
    const [refusalReasons, returnAddresses] = await Promise.all([
      port.refusalReasons(shop, detail),
      port.returnAddresses(shop),
    ]);
    return { platform: shop.platform, actions: port.actionsFor(detail), refusalReasons, returnAddresses };
  }

  /** Only the refusal reason codes of `options` (null when the platform takes the reason text only). */
  async refusalReasons(merchantId: string, refundId: string): Promise<RefusalReason[] | null> {
    const { shop, row } = await this.shopOf(merchantId, refundId);
    const port = this.channels.afterSales(shop.platform);
    return port.refusalReasons(shop, await port.getRefund(shop, row.platformRefundId));
  }

  private async shopOf(
    merchantId: string,
    refundId: string,
  ): Promise<{ shop: ShopIdentity; row: ChannelRefundEntity }> {
    const row = await this.refunds.findForMerchant(merchantId, refundId);
    if (!row) throw new NotFoundDomainException('REFUND_NOT_FOUND', `no refund ${refundId}`);
    const connection = await this.connections.findById(row.connectionId);
    if (!connection || connection.status !== 'active')
      throw new DomainException('SHOP_NOT_CONNECTED', 'the shop of this refund is not connected');
    return {
      row,
      shop: {
        platform: connection.platform,
        connectionId: connection.id,
        shopId: connection.shopId,
        merchantId: connection.merchantId,
      },
    };
  }

  /**
   * Before anything is journaled or sent: a refusal's reason code must be one the platform lists for
   * this refund; a return's address must be complete (Youzan) or one of the shop's own (Kuaishou:
   * the id given, or a default address when none is).
   */
  private async checkInput(shop: ShopIdentity, refund: ChannelRefund, request: RefundActionRequest): Promise<void> {
    const port = this.channels.afterSales(shop.platform);
    const fields: FieldError[] = [];
    if (request.action === 'refuse') {
      if (!request.reason?.trim())
        fields.push({ field: 'reason', messages: ['a refusal needs a reason the buyer sees'] });
      const reasons = await port.refusalReasons(shop, refund);
      const listed = reasons?.map((r) => `${r.code} (${r.text})`).join(', ') ?? '';
      if (reasons && request.reasonCode === undefined)
        fields.push({ field: 'reasonCode', messages: [`${shop.platform} needs a reason code: one of ${listed}`] });
      else if (reasons && !reasons.some((r) => r.code === request.reasonCode))
        fields.push({
          field: 'reasonCode',
          messages: [`${request.reasonCode} is not one of ${shop.platform}'s reason codes for this refund: ${listed}`],
        });
      else if (!reasons && request.reasonCode !== undefined)
        fields.push({ field: 'reasonCode', messages: [`${shop.platform} takes no reason code, only the reason text`] });
    }
    if (request.action === 'agree_return') {
      const addresses = await port.returnAddresses(shop);
      if (addresses) {
        if (request.returnAddressId !== undefined && !addresses.some((a) => a.addressId === request.returnAddressId))
          fields.push({
            field: 'returnAddressId',
            messages: [
              `${request.returnAddressId} is not a return address of this shop: ${addresses.map((a) => `${a.addressId} (${a.name}, ${a.address})`).join('; ') || 'none'}`,
            ],
          });
        else if (request.returnAddressId === undefined && !addresses.some((a) => a.isDefault))
          fields.push({ field: 'returnAddressId', messages: ['the shop has no default return address: give one'] });
      } else {
        const a = request.returnAddress;
        if (!a)
          fields.push({
            field: 'returnAddress',
            messages: [`${shop.platform} needs the address the goods go back to`],
          });
        else
          for (const key of ['name', 'mobile', 'address'] as const)
            if (!a[key]?.trim())
              fields.push({ field: `returnAddress.${key}`, messages: [`the return address needs a ${key}`] });
      }
    }
    if (fields.length)
      throw new InvalidInputException('INVALID_REFUND_ACTION', 'the action is missing details', fields);
  }

  private async result(repeated: boolean, entry: RefundActionEntity, refundId: string): Promise<RefundActionResult> {
    const row = (await this.refunds.findForMerchant(entry.merchantId, refundId))!;
    return { repeated, action: refundActionView(entry), refund: refundView(row, this.offered(row)) };
  }
}
