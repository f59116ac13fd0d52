import type { Mocked } from '@suites/unit';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderRepository } from './order.repository';
import { OrderQueryService } from './order-query.service';

const M = '00000000-0000-4000-8000-0000000000aa';
const order = (id: string, platformOrderId: string, platform = 'youzan') =>
  Object.assign(new ChannelOrderEntity(), { id, platformOrderId, platform, merchantId: M, erpOrderId: null });

/** Other contexts (shipments, coupons) find an order by every id kind the registry's own lookup takes. */
describe('OrderQueryService.findForMerchant', () => {
  let t: TestService<OrderQueryService>;
  let repo: Mocked<OrderRepository>;

  beforeEach(async () => {
    t = await newTestService(OrderQueryService);
    repo = t.mocks.get(OrderRepository);
    repo.findForMerchant.mockResolvedValue(null);
    repo.findByErpIdForMerchant.mockResolvedValue(null);
    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([]);
    repo.findByLineIdForMerchant.mockResolvedValue([]);
    repo.lines.mockResolvedValue([]);
  });

  it("finds an order by the ERP's order id and by a platform line id", async () => {
    repo.findByErpIdForMerchant.mockResolvedValue(order('a', 'T1'));
    expect((await t.sut.findForMerchant(M, 'ERP-7'))?.order.id).toBe('a');
    repo.findByErpIdForMerchant.mockResolvedValue(null);
    repo.findByLineIdForMerchant.mockResolvedValue([order('b', 'T2')]);
    expect((await t.sut.findForMerchant(M, 'OID-9'))?.order.id).toBe('b');
  });

  it('asks for the internal id only when the id is a UUID, and prefers it', async () => {
    const own = order('00000000-0000-4000-8000-000000000001', 'T3');
    repo.findForMerchant.mockResolvedValue(own);
    repo.findByErpIdForMerchant.mockResolvedValue(order('x', 'T4'));
    expect((await t.sut.findForMerchant(M, own.id.toUpperCase()))?.order).toBe(own);
    await t.sut.findForMerchant(M, 'not-a-uuid');
    expect(repo.findForMerchant).toHaveBeenCalledTimes(1);
  });

  it('answers undefined for an unknown id, and a conflict when two orders carry the same number', async () => {
    expect(await t.sut.findForMerchant(M, 'nothing')).toBeUndefined();
    repo.findByPlatformOrderIdForMerchant.mockResolvedValue([order('k', '77', 'kuaishou'), order('y', '77')]);
    await expect(t.sut.findForMerchant(M, '77')).rejects.toMatchObject({ code: 'ORDER_ID_AMBIGUOUS' });
  });
});
