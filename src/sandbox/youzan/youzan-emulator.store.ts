import { YzRefundsStore } from './youzan-store.refunds';

export * from './youzan-emulator.model';
export { SandboxError } from '../shared/control.errors';

/**
 * In-memory state of one emulated Youzan Cloud with its business rules. One layer per concern,
 * each extending the one before (the same layering as the Kuaishou store): youzan-store.base
 * (state, shops) → .tokens → .items (listings, stock, prices) → .coupons → .orders → .refunds;
 * the records are in youzan-emulator.model.
 */
export class YouzanEmulatorStore extends YzRefundsStore {}
