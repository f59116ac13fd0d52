import { KsRefundsStore } from './kuaishou-store.refunds';

export * from './kuaishou-emulator.model';
export { SandboxError } from '../shared/control.errors';

/**
 * The emulated shops and everything in them, with Kuaishou's rules: incremental stock with a
 * reserve floor, listing validation, the order state machine, refunds and coupons. One layer per
 * concern, each extending the one before: kuaishou-store.base (state, shops, ids, events) →
 * .items (listings, stock, prices; the stateless listing rules in kuaishou-store.listing-rules) →
 * .coupons → .orders → .refunds; the records are in kuaishou-emulator.model.
 */
export class KuaishouEmulatorStore extends KsRefundsStore {}
