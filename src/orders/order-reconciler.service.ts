import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { MetricsService } from '../ops/metrics/metrics.service';
import { METRICS } from '../ops/metrics/metric-names';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { ChannelOrder } from '../platforms/ports/orders.port';
import { OrderDeadlineService } from './order-deadline.service';
import { OrderIngestService } from './order-ingest.service';
import { OrderReconcileRunEntity, ReconcileFinding } from './order-reconcile-run.entity';
import { OrderRepository } from './order.repository';

export const DEFAULT_RECONCILE_LOOKBACK_MS = 72 * 3_600_000;
/** Findings kept per run (counts are always complete). */
const MAX_DETAILS = 200;

/**
 * Compares a shop's platform order list (by creation time, over the lookback) with the registry:
 * orders the platform has and we do not (a lost push the poll has not caught), orders whose status
 * drifted (the platform is newer than what we hold), and orders the platform listed twice. Each is
 * fixed by ingesting the platform's state (level-triggered, so stock and events follow), and the
 * run is recorded with what it found.
 */
@Injectable()
export class OrderReconcilerService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly ingest: OrderIngestService,
    private readonly connections: ConnectionsService,
    private readonly deadlines: OrderDeadlineService,
    private readonly metrics: MetricsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async reconcile(
    connectionId: string,
    lookbackMs = DEFAULT_RECONCILE_LOOKBACK_MS,
  ): Promise<OrderReconcileRunEntity | null> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return null;
    const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const identity = { ...shop, merchantId: connection.merchantId };
    const channel = this.channels.orders(connection.platform);
    const startedAt = this.clock.now();
    // On the platform's clock: its creation times are stamped by it.
    const until = startedAt + (channel.clockOffsetMs?.() ?? 0) + 1_000;
    const since = until - lookbackMs;
    const run = Object.assign(new OrderReconcileRunEntity(), {
      connectionId,
      merchantId: connection.merchantId,
      platform: connection.platform,
      windowFrom: since,
      windowUntil: until,
      platformOrders: 0,
      missing: 0,
      drifted: 0,
      duplicated: 0,
      repaired: 0,
      status: 'ok' as OrderReconcileRunEntity['status'],
      details: [] as ReconcileFinding[],
      error: null as string | null,
      startedAt,
      finishedAt: startedAt,
    });
    const findings: ReconcileFinding[] = [];
    try {
      const listed = new Map<string, ChannelOrder>();
      let cursor: string | undefined;
      do {
        const page = await channel.listOrders(shop, { since, until, by: 'created', cursor });
        for (const order of page.orders) {
          const before = listed.get(order.orderId);
          if (before) {
            run.duplicated++;
            findings.push({
              platformOrderId: order.orderId,
              kind: 'duplicated',
              platformStatus: order.status,
              repaired: false,
            });
            if (before.updatedAt >= order.updatedAt) continue;
          }
          listed.set(order.orderId, order);
        }
        cursor = page.nextCursor;
      } while (cursor);
      run.platformOrders = listed.size;
      const ids = [...listed.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        const known = await this.orders.statusesOf(connectionId, ids.slice(i, i + 500));
        for (const id of ids.slice(i, i + 500)) {
          const order = listed.get(id)!;
          const held = known.get(id);
          // A registry row newer than the list is the list lagging, not drift.
          const kind = !held
            ? 'missing'
            : held.status !== order.status && held.platformUpdatedAt <= order.updatedAt
              ? 'drifted'
              : undefined;
          if (!kind) continue;
          const outcome = await this.ingest.ingest(identity, order);
          const repaired = outcome === 'created' || outcome === 'updated';
          run[kind]++;
          if (repaired) run.repaired++;
          findings.push({
            platformOrderId: id,
            kind,
            registryStatus: held?.status,
            platformStatus: order.status,
            repaired,
          });
        }
      }
      run.status = run.missing || run.drifted ? 'repaired' : 'ok';
    } catch (error) {
      run.status = 'failed';
      run.error = (error as Error).message.slice(0, 500);
    }
    for (const f of findings)
      this.metrics.counter(METRICS.orderReconcileFindingsTotal).inc({ platform: connection.platform, kind: f.kind });
    run.details = findings.slice(0, MAX_DETAILS);
    run.finishedAt = this.clock.now();
    const saved = await this.db.transaction(() => this.orders.insertReconcileRun(run));
    await this.deadlines.exportOnTimeRate(connectionId, connection.platform);
    if (run.status === 'failed') throw new Error(`reconciling shop ${connection.shopId} failed: ${run.error}`);
    return saved;
  }
}
