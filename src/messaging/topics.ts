/** Every topic name, versioned. A breaking payload change is a new version, never an edit. */
export enum Topic {
  FailureRetryRequested = 'kwaizan.ops.failure-retry-requested.v1',
  ConnectionStatusChanged = 'kwaizan.accounts.connection-status-changed.v1',
  TokenRefreshRequested = 'kwaizan.accounts.token-refresh-requested.v1',
  SkuBound = 'kwaizan.catalog.sku-bound.v1',
  CategoryTreeRefreshRequested = 'kwaizan.catalog.category-tree-refresh-requested.v1',
  StockChanged = 'kwaizan.inventory.stock-changed.v1',
  PushReceived = 'kwaizan.orders.push-received.v1',
  OrderPollRequested = 'kwaizan.orders.poll-requested.v1',
  OrderChanged = 'kwaizan.orders.order-changed.v1',
  PriceChanged = 'kwaizan.pricing.price-changed.v1',
  PriceAuditRequested = 'kwaizan.pricing.price-audit-requested.v1',
  MerchantEventRaised = 'kwaizan.webhooks.merchant-event-raised.v1',
  OrderDeadlineCheckRequested = 'kwaizan.orders.deadline-check-requested.v1',
  OrderReconcileRequested = 'kwaizan.orders.reconcile-requested.v1',
  ShipmentRequested = 'kwaizan.fulfilment.shipment-requested.v1',
}
