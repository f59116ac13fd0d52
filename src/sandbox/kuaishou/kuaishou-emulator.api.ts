import { ApiDef, OpenApiDeps } from './kuaishou-api.common';
import { catalogApis } from './kuaishou-api.catalog';
import { itemApis } from './kuaishou-api.items';
import { orderApis } from './kuaishou-api.orders';
import { promotionApis } from './kuaishou-api.promotions';
import { refundApis } from './kuaishou-api.refunds';
import { shopApis } from './kuaishou-api.shop';

export type { ApiContext, ApiDef, OpenApiDeps } from './kuaishou-api.common';

/**
 * Every open API the emulator serves, by method name: one file per concern (kuaishou-api.catalog,
 * .items, .orders, .refunds, .promotions, .shop).
 */
export function buildApis(deps: OpenApiDeps): Record<string, ApiDef> {
  return {
    ...catalogApis(deps),
    ...itemApis(deps),
    ...shopApis(),
    ...orderApis(deps),
    ...refundApis(deps),
    ...promotionApis(deps),
  };
}
