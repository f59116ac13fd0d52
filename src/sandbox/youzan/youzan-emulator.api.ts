import { CATALOG_APIS } from './youzan-api.catalog';
import { ApiDef } from './youzan-api.common';
import { PROMOTION_APIS } from './youzan-api.promotions';
import { TRADE_APIS } from './youzan-api.trades';

export type { ApiContext, ApiDef, UploadedFile } from './youzan-api.common';
export { checkParams } from './youzan-api.common';

/** Every API the emulator serves, by name: one file per concern (youzan-api.catalog, .trades, .promotions). */
export const APIS: Record<string, ApiDef> = { ...CATALOG_APIS, ...TRADE_APIS, ...PROMOTION_APIS };
