import { toChannelOrder } from './kuaishou.mapper';
import { KsOrder } from './kuaishou-wire.types';

const order = (over: Partial<KsOrder> = {}, base: Partial<KsOrder['orderBaseInfo']> = {}): KsOrder => ({
  orderBaseInfo: {
    oid: 2_000_000_001,
    status: 30,
    createTime: 1_800_000_000_000,
    updateTime: 1_800_000_001_000,
    payTime: 1_800_000_000_500,
    validPromiseShipmentTimeStamp: 1_800_172_800_500,
    ...base,
  },
  orderItemInfo: { skuId: 11, itemId: 10, price: 9900, num: 1 },
  ...over,
});

describe('kuaishou order mapper', () => {
  it('keeps the masked buyer and the ciphertexts as sent, never decrypted', () => {
    const mapped = toChannelOrder(
      order({
        orderAddress: {
          encryptedConsignee: '#Yw==#',
          desensitiseConsignee: '张**',
          encryptedMobile: '$bQ==$',
          desensitiseMobile: '138****0000',
          encryptedAddress: '~YQ==~',
          desensitiseAddress: '北京市海淀区中关村****',
          province: '北京市',
          city: '北京市',
          district: '海淀区',
        },
      }),
    );
    expect(mapped.buyer).toEqual({
      name: '张**',
      phone: '138****0000',
      address: '北京市海淀区中关村****',
      region: '北京市 北京市 海淀区',
      encrypted: { name: '#Yw==#', phone: '$bQ==$', address: '~YQ==~' },
    });
  });

  it('has no buyer while Kuaishou withholds it (empty fields on a held order)', () => {
    const held = toChannelOrder(
      order({
        orderAddress: {
          encryptedConsignee: '',
          desensitiseConsignee: '',
          encryptedMobile: '',
          desensitiseMobile: '',
          encryptedAddress: '',
          desensitiseAddress: '',
          province: '',
          city: '',
          district: '',
        },
      }),
    );
    expect(held.buyer).toBeUndefined();
  });

  it('maps the ship-by and an approved delay; 0 means none', () => {
    expect(toChannelOrder(order({}, { sellerDelayPromiseTimeStamp: 1_800_300_000_000 }))).toMatchObject({
      shipBy: 1_800_172_800_500,
      delayedShipBy: 1_800_300_000_000,
    });
    const none = toChannelOrder(order({}, { validPromiseShipmentTimeStamp: 0, sellerDelayPromiseTimeStamp: 0 }));
    expect(none.shipBy).toBeUndefined();
    expect(none.delayedShipBy).toBeUndefined();
    expect(none.shipHolds).toContain('no_valid_promise');
  });
});
