import type { Mocked } from '@suites/unit';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderRepository } from './order.repository';
import { OrdersService } from './orders.service';

const M = '00000000-0000-4000-8000-0000000000aa';
const order = (id: string, platformOrderId: string, platform = 'youzan') =>
  Object.assign(new ChannelOrderEntity(), { id, platformOrderId, platform, merchantId: M, erpOrderId: null });

describe('OrdersService lookup', () => {
  let t: TestService<OrdersService>;
  let repo: Mocked<OrderRepository>;

  beforeEach(async () => {
    t = await newTestService(OrdersService);
    repo = t.mocks.get(OrderRepository);
    repo.findForMerchant.mockResolvedValue(null);
    repo.findByErpIdForMerchant.mockResolvedValue(null);
    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([]);
    repo.findByLineIdForMerchant.mockResolvedValue([]);
  });

  it('prefers the internal id, then the ERP id, then platform order ids, then line ids', async () => {
    const internal = order('00000000-0000-4000-8000-000000000001', 'E1');
    repo.findForMerchant.mockResolvedValue(internal);
    repo.findByErpIdForMerchant.mockResolvedValue(order('x', 'E2'));
    expect(await t.sut.resolveForMerchant(M, internal.id)).toMatchObject({ order: internal, matchedBy: 'internal' });

    repo.findForMerchant.mockResolvedValue(null);
    expect((await t.sut.resolveForMerchant(M, 'ERP-1')).matchedBy).toBe('erp');

    repo.findByErpIdForMerchant.mockResolvedValue(null);
    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([order('y', '123')]);
    repo.findByLineIdForMerchant.mockResolvedValue([order('z', 'E9')]);
    expect((await t.sut.resolveForMerchant(M, '123')).matchedBy).toBe('platform_order');

    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([]);
    expect(await t.sut.resolveForMerchant(M, '123')).toMatchObject({ matchedBy: 'platform_line' });
    expect(repo.findForMerchant).toHaveBeenCalledTimes(1);
  });

  it('answers not found, or conflict when two orders of the merchant carry the id', async () => {
    await expect(t.sut.resolveForMerchant(M, 'nothing')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([order('a', '77', 'kuaishou'), order('b', '77')]);
    await expect(t.sut.resolveForMerchant(M, '77')).rejects.toMatchObject({ code: 'ORDER_ID_AMBIGUOUS' });
  });
});
