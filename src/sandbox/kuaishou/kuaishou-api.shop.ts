import { ApiDef, read } from './kuaishou-api.common';
import { long } from './kuaishou-emulator.json';
import { shopInfoView } from './kuaishou-emulator.views';

/** Shop APIs: the seller, the shop, its express template. */
export function shopApis(): Record<string, ApiDef> {
  return {
    'open.logistics.express.template.list': read('merchant_logistics', ({ shop, now }) => ({
      data: {
        total: 1,
        expressTemplateDetailVOS: [
          {
            id: long(shop.expressTemplateId),
            name: '默认运费模板',
            calType: 1,
            sendProvinceCode: 110000,
            sendProvinceName: '北京市',
            status: 1,
            config: JSON.stringify({ baseFee: 0, perAddFee: 0, includeFee: 0 }),
            createTime: now,
            updateTime: now,
          },
        ],
      },
    })),
    'open.user.seller.get': read('merchant_user', ({ shop }) => ({
      data: { sellerId: long(shop.sellerId), openId: shop.openId, name: shop.name, head: '', bigHead: '' },
    })),
    'open.shop.info.get': read('merchant_user', ({ shop }) => ({ data: shopInfoView(shop) })),
  };
}
