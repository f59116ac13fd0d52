/** Every topic name, versioned. A breaking payload change is a new version, never an edit. */
export enum Topic {
  FailureRetryRequested = 'kwaizan.ops.failure-retry-requested.v1',
  ConnectionStatusChanged = 'kwaizan.accounts.connection-status-changed.v1',
  TokenRefreshRequested = 'kwaizan.accounts.token-refresh-requested.v1',
}
