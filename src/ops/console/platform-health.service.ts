import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { MerchantsService } from '@app/accounts/merchants.service';
import { ConnectionStatus } from '@app/accounts/shop-connection.entity';
import { CLOCK, Clock } from '@app/common/clock';
import { StockLedgerService } from '@app/inventory/stock-ledger.service';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { OrderQueryService } from '@app/orders/order-query.service';
import { PlatformCallStatsService } from '@app/platforms/call-stats/platform-call-stats.service';
import { PLATFORMS, Platform } from '@app/platforms/ports/platform.types';
import { PricePolicyService } from '@app/pricing/price-policy.service';
import { RedemptionService } from '@app/promotions/redemption.service';
import { OutboundDeliveriesService } from '@app/webhooks/outbound/outbound-deliveries.service';
import { FailureAlertEntity } from '../alerts/failure-alert.entity';
import { FailureAlertsService } from '../alerts/failure-alerts.service';
import { OpsAlertEntity } from '../alerts/ops-alert.entity';
import { OpsAlertsService } from '../alerts/ops-alerts.service';
import { SyncFailureService } from '../failures/sync-failure.service';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { BreakerRow, breakerRows, errorRate, UsageRow, usageRows } from './platform-figures';
import { QuotaLine, quotaLines } from './live-figures';

/** Drift records and coupon anomalies are counted over this many hours. */
export const RECENT_HOURS = 24;

export interface PlatformRow {
  platform: Platform;
  breakers: BreakerRow[];
  apis: UsageRow[];
  shopCalls: UsageRow[];
  /** Calls and errors of every instance within the window. */
  windowCalls: number;
  windowErrors: number;
  errorRatePercent: number | null;
  stockDrift: number;
  openFailures: number;
}

export interface InstanceRow {
  instance: string;
  startedAt: number;
  reportedAt: number;
  /** The instance rendering the page. */
  self: boolean;
}

export interface ShopRow {
  connectionId: string;
  platform: Platform;
  shopId: string;
  shopName: string | null;
  merchantId: string;
  merchantName: string;
  status: ConnectionStatus;
  statusReason: string | null;
  /** The platform no longer honours the grant: the merchant must authorize again. */
  grantLost: boolean;
  accessTokenExpiresAt: number | null;
  /** When the merchant must authorize again at the latest (the grant or refresh token ends). */
  reauthBy: number | null;
  openFailures: number;
  /** Drift records reconciliation found on this shop's SKUs in RECENT_HOURS. */
  stockDrift: number;
  deadlineRisks: Record<'h12' | 'h4' | 'overdue', number>;
}

export interface MerchantRow {
  merchantId: string;
  name: string;
  parityViolations: number;
  couponAnomalies: number;
  webhooksFailed: number;
  webhooksRetrying: number;
}

export interface PlatformHealthView {
  at: number;
  /** Minutes the per-API calls and errors are counted over (ops setting platformAlertWindowMinutes). */
  windowMinutes: number;
  instances: InstanceRow[];
  platforms: PlatformRow[];
  shops: ShopRow[];
  merchants: MerchantRow[];
  alerts: FailureAlertEntity[];
  platformAlerts: OpsAlertEntity[];
}

/**
 * The platform health page's figures, each read through the service of the context that owns it: breakers and
 * calls from what every instance's gateways persisted, grants from accounts, drift from inventory, deadline risks from orders,
 * parity from pricing, coupon anomalies from promotions, failing deliveries from outbound webhooks.
 */
@Injectable()
export class PlatformHealthQuery {
  constructor(
    private readonly calls: PlatformCallStatsService,
    private readonly settings: OpsSettingsService,
    private readonly connections: ConnectionsService,
    private readonly merchants: MerchantsService,
    private readonly stock: StockLedgerService,
    private readonly bindings: SkuBindingService,
    private readonly orders: OrderQueryService,
    private readonly pricing: PricePolicyService,
    private readonly coupons: RedemptionService,
    private readonly webhooks: OutboundDeliveriesService,
    private readonly failures: SyncFailureService,
    private readonly alerts: FailureAlertsService,
    private readonly opsAlerts: OpsAlertsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Each platform's call quota (ops settings) as a calls-per-second line for the live chart. */
  async quotaLines(): Promise<QuotaLine[]> {
    return quotaLines(await this.settings.current());
  }

  async view(): Promise<PlatformHealthView> {
    const at = this.clock.now();
    const since = at - RECENT_HOURS * 3_600_000;
    const { platformAlertWindowMinutes: windowMinutes } = await this.settings.current();
    // This instance's own figures as of now; the others' are at most a flush interval old.
    await this.calls.flush().catch(() => undefined);
    const [reports, totals] = await Promise.all([
      this.calls.instances(at),
      this.calls.totalsSince(at - windowMinutes * 60_000),
    ]);
    const [connections, merchants, drift, risks, parity, anomalies, deliveries, open, alerts, platformAlerts] =
      await Promise.all([
        this.connections.listBound(),
        this.merchants.listVisibleTo(null),
        this.stock.driftCountsByBindingSince(since),
        this.orders.deadlineRisksByConnection(),
        this.pricing.parityViolationsByMerchant(),
        this.coupons.anomalyCountsSince(since),
        this.webhooks.failingByMerchant(),
        this.failures.openCountsByShop(),
        this.alerts.recent(10),
        this.opsAlerts.recent(10),
      ]);
    const names = new Map(merchants.map((m) => [m.id, m.name]));
    const shopOf = await this.bindings.connectionIdsOf(drift.map((d) => d.bindingId));
    const driftByShop = new Map<string, number>();
    for (const d of drift) {
      const connectionId = shopOf.get(d.bindingId);
      if (connectionId) driftByShop.set(connectionId, (driftByShop.get(connectionId) ?? 0) + d.n);
    }
    const platforms = PLATFORMS.map((platform): PlatformRow => {
      const apis = usageRows(platform, reports, 'apis', totals);
      const windowCalls = apis.reduce((sum, r) => sum + r.windowCalls, 0);
      const windowErrors = apis.reduce((sum, r) => sum + r.windowErrors, 0);
      return {
        platform,
        breakers: breakerRows(platform, reports),
        apis,
        shopCalls: usageRows(platform, reports, 'shops'),
        windowCalls,
        windowErrors,
        errorRatePercent: errorRate(windowCalls, windowErrors),
        // Over every shop of the platform, also those whose binding was removed since.
        stockDrift: drift.filter((d) => d.platform === platform).reduce((sum, d) => sum + d.n, 0),
        openFailures: open.filter((o) => o.platform === platform).reduce((sum, o) => sum + o.n, 0),
      };
    });
    const shops = connections.map((c): ShopRow => {
      const deadlineRisks = { h12: 0, h4: 0, overdue: 0 };
      for (const r of risks)
        if (r.connectionId === c.id && r.risk in deadlineRisks)
          deadlineRisks[r.risk as keyof typeof deadlineRisks] += r.orders;
      return {
        connectionId: c.id,
        platform: c.platform,
        shopId: c.shopId,
        shopName: c.shopName,
        merchantId: c.merchantId,
        merchantName: names.get(c.merchantId) ?? c.merchantId,
        status: c.status,
        statusReason: c.statusReason,
        grantLost: c.status === 'revoked' || c.status === 'needs_reauth',
        accessTokenExpiresAt: c.accessTokenExpiresAt,
        reauthBy: c.reauthDueAt ?? c.refreshTokenExpiresAt,
        // Contexts record a shop by its platform id or by its connection id.
        openFailures: open
          .filter((o) => o.platform === c.platform && (o.shopRef === c.shopId || o.shopRef === c.id))
          .reduce((sum, o) => sum + o.n, 0),
        stockDrift: driftByShop.get(c.id) ?? 0,
        deadlineRisks,
      };
    });
    const merchantIds = new Set([
      ...connections.map((c) => c.merchantId),
      ...Object.keys(parity),
      ...anomalies.map((a) => a.merchantId),
      ...deliveries.map((d) => d.merchantId),
    ]);
    const merchantRows = [...merchantIds].map((merchantId) => {
      const failing = deliveries.find((d) => d.merchantId === merchantId);
      return {
        merchantId,
        name: names.get(merchantId) ?? merchantId,
        parityViolations: parity[merchantId] ?? 0,
        couponAnomalies: anomalies.filter((a) => a.merchantId === merchantId).reduce((sum, a) => sum + a.n, 0),
        webhooksFailed: failing?.failed ?? 0,
        webhooksRetrying: failing?.retrying ?? 0,
      };
    });
    merchantRows.sort((a, b) => a.name.localeCompare(b.name));
    const instances = reports.map((r) => ({
      instance: r.instance,
      startedAt: r.startedAt,
      reportedAt: r.reportedAt,
      self: r.instance === this.calls.instance,
    }));
    return { at, windowMinutes, instances, platforms, shops, merchants: merchantRows, alerts, platformAlerts };
  }
}
