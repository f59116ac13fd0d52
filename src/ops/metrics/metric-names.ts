export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition<K extends MetricKind = MetricKind> {
  kind: K;
  name: string;
  help: string;
  labels: readonly string[];
  /** Histograms only: bucket upper bounds in seconds. */
  buckets?: readonly number[];
}

/**
 * Every metric the service exports, in one place: its Prometheus name, help, labels and buckets.
 * Metric definitions take an entry from here (`metrics.counter(METRICS.ordersIngestedTotal)`), never a
 * name of their own, so a dashboard or a test finds the whole list here and no two definitions disagree.
 */
export const METRICS = {
  // ops
  syncFailuresRecordedTotal: {
    kind: 'counter',
    name: 'kwaizan_sync_failures_recorded_total',
    help: 'Sync failures recorded',
    labels: ['context', 'code'],
  },
  syncFailuresClosedTotal: {
    kind: 'counter',
    name: 'kwaizan_sync_failures_closed_total',
    help: 'Sync failures closed',
    labels: ['status'],
  },
  // orders
  ordersIngestedTotal: {
    kind: 'counter',
    name: 'kwaizan_orders_ingested_total',
    help: 'Orders read from the platforms',
    labels: ['platform', 'outcome'],
  },
  pushesReceivedTotal: {
    kind: 'counter',
    name: 'kwaizan_pushes_received_total',
    help: 'Platform pushes received',
    labels: ['platform', 'outcome'],
  },
  // messaging
  eventsConsumedTotal: {
    kind: 'counter',
    name: 'kwaizan_events_consumed_total',
    help: 'Events handled by consumers',
    labels: ['consumer', 'outcome'],
  },
  eventHandleSeconds: {
    kind: 'histogram',
    name: 'kwaizan_event_handle_seconds',
    help: 'Time to handle one event, retries included',
    labels: ['consumer'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  outboxInFlight: {
    kind: 'gauge',
    name: 'kwaizan_outbox_in_flight',
    help: 'Outbox events being published',
    labels: [],
  },
  outboxPublishedTotal: {
    kind: 'counter',
    name: 'kwaizan_outbox_published_total',
    help: 'Outbox events published to the bus',
    labels: ['topic'],
  },
  outboxPublishLagSeconds: {
    kind: 'histogram',
    name: 'kwaizan_outbox_publish_lag_seconds',
    help: 'Time from commit to publish',
    labels: ['topic'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
  },
  // inventory
  stockEventsCoalescedTotal: {
    kind: 'counter',
    name: 'kwaizan_stock_events_coalesced_total',
    help: 'Stock-changed events already covered by an earlier run',
    labels: [],
  },
  stockWriterLeaseBusyTotal: {
    kind: 'counter',
    name: 'kwaizan_stock_writer_lease_busy_total',
    help: 'Stock-writer runs deferred to the run holding the SKU lease',
    labels: [],
  },
  stockWriterFencedTotal: {
    kind: 'counter',
    name: 'kwaizan_stock_writer_fenced_total',
    help: 'Stock-writer commits rejected because a newer writer holds the lease',
    labels: [],
  },
  stockWritesTotal: {
    kind: 'counter',
    name: 'kwaizan_stock_writes_total',
    help: 'Platform stock writes',
    labels: ['platform', 'outcome'],
  },
  stockWriteSeconds: {
    kind: 'histogram',
    name: 'kwaizan_stock_write_seconds',
    help: 'Platform stock write latency',
    labels: ['platform'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  stockDriftTotal: {
    kind: 'counter',
    name: 'kwaizan_stock_drift_total',
    help: 'Stock drift found by reconciliation',
    labels: ['platform'],
  },
  stockPropagationSeconds: {
    kind: 'histogram',
    name: 'kwaizan_stock_propagation_seconds',
    help: 'From a stock change being accepted to the platform write acknowledged',
    labels: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  },
  stockSyncPhaseSeconds: {
    kind: 'histogram',
    name: 'kwaizan_stock_sync_phase_seconds',
    help: 'Time spent per phase of a stock-writer run',
    labels: ['phase'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  ledgerLockWaitSeconds: {
    kind: 'histogram',
    name: 'kwaizan_ledger_lock_wait_seconds',
    help: 'Time to take a SKU ledger lock',
    labels: [],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  // platforms
  platformBreakerState: {
    kind: 'gauge',
    name: 'kwaizan_platform_breaker_state',
    help: 'Circuit breaker state (0 closed, 1 half-open, 2 open)',
    labels: ['platform', 'group'],
  },
  platformCallsTotal: {
    kind: 'counter',
    name: 'kwaizan_platform_calls_total',
    help: 'Platform API calls',
    labels: ['platform', 'api', 'outcome'],
  },
  platformCallSeconds: {
    kind: 'histogram',
    name: 'kwaizan_platform_call_seconds',
    help: 'Platform API call latency',
    labels: ['platform', 'api'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  // pricing
  priceDriftTotal: {
    kind: 'counter',
    name: 'kwaizan_price_drift_total',
    help: 'Listings showing a price the service did not write',
    labels: ['platform'],
  },
  priceWritesRefusedTotal: {
    kind: 'counter',
    name: 'kwaizan_price_writes_refused_total',
    help: 'Price changes refused by the parity guard',
    labels: [],
  },
  priceWritesTotal: {
    kind: 'counter',
    name: 'kwaizan_price_writes_total',
    help: 'Platform price writes',
    labels: ['platform', 'outcome'],
  },
  // orders registry: deadlines and reconciliation
  orderDeadlineRiskTotal: {
    kind: 'counter',
    name: 'kwaizan_order_deadline_risk_total',
    help: 'Ship deadline risk levels raised (12 h left, 4 h left, overdue)',
    labels: ['platform', 'level'],
  },
  orderOnTimeRate: {
    kind: 'gauge',
    name: 'kwaizan_order_on_time_ship_rate',
    help: 'Share of orders shipped by their deadline per shop, last 30 days (as of the last deadline run)',
    labels: ['platform', 'connection'],
  },
  orderReconcileFindingsTotal: {
    kind: 'counter',
    name: 'kwaizan_order_reconcile_findings_total',
    help: 'Orders the reconciler found missing, drifted or duplicated',
    labels: ['platform', 'kind'],
  },
  // webhooks
  webhookAttemptsTotal: {
    kind: 'counter',
    name: 'kwaizan_webhook_attempts_total',
    help: 'Outbound webhook delivery attempts (delivered, retry, failed: the last attempt failed)',
    labels: ['outcome'],
  },
  // fulfilment
  shipmentsTotal: {
    kind: 'counter',
    name: 'kwaizan_shipments_total',
    help: 'Shipment write-backs settled, by outcome (shipped, failed, unknown)',
    labels: ['platform', 'outcome'],
  },
  shipmentWritebackSeconds: {
    kind: 'histogram',
    name: 'kwaizan_shipment_writeback_seconds',
    help: 'Time from a shipment received to the platform showing it shipped',
    labels: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  },
} as const satisfies Record<string, MetricDefinition>;
