/** Every topic name, versioned. A breaking payload change is a new version, never an edit. */
export enum Topic {
  FailureRetryRequested = 'kwaizan.ops.failure-retry-requested.v1',
}
