import { KuaishouAfterSalesChannel } from '../kuaishou/kuaishou-after-sales.channel';
import { YouzanAfterSalesChannel } from '../youzan/youzan-after-sales.channel';
import { ChannelRefund } from './after-sales.port';

const refund = (overrides: Partial<ChannelRefund>): ChannelRefund => ({
  refundId: '1',
  orderId: '2',
  lineIds: ['2'],
  status: 'requested',
  rawStatus: '10',
  kind: 'refund_only',
  amountFen: 100,
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

describe('seller refund actions offered', () => {
  const ks = new KuaishouAfterSalesChannel({} as never);
  const yz = new YouzanAfterSalesChannel({} as never);

  it('Kuaishou: agree or refuse a refund awaiting the seller, a return first, receipt once goods are back', () => {
    expect(ks.actionsFor(refund({ rawStatus: '10' }))).toEqual(['agree', 'refuse']);
    expect(ks.actionsFor(refund({ rawStatus: '10', kind: 'return_and_refund' }))).toEqual(['agree_return', 'refuse']);
    expect(ks.actionsFor(refund({ rawStatus: '40', kind: 'return_and_refund' }))).toEqual([
      'confirm_received',
      'refuse',
    ]);
    for (const rawStatus of ['12', '20', '30', '50', '60', '70'])
      expect(ks.actionsFor(refund({ rawStatus }))).toEqual([]);
  });

  it('Youzan: the same by status name; nothing once refused, closed or paid', () => {
    expect(yz.actionsFor(refund({ rawStatus: 'WAIT_SELLER_AGREE' }))).toEqual(['agree', 'refuse']);
    expect(yz.actionsFor(refund({ rawStatus: 'WAIT_SELLER_AGREE', kind: 'return_and_refund' }))).toEqual([
      'agree_return',
      'refuse',
    ]);
    expect(yz.actionsFor(refund({ rawStatus: 'WAIT_SELLER_CONFIRM_GOODS' }))).toEqual(['confirm_received', 'refuse']);
    for (const rawStatus of ['WAIT_BUYER_RETURN_GOODS', 'SELLER_REFUSE_BUYER', 'SUCCESS', 'CLOSED'])
      expect(yz.actionsFor(refund({ rawStatus }))).toEqual([]);
  });
});
