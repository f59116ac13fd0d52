import type { Mocked } from '@suites/unit';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderDeadlineService } from './order-deadline.service';
import { OrderRepository } from './order.repository';
import { HOUR_MS } from './ship-deadline';

describe('OrderDeadlineService', () => {
  let t: TestService<OrderDeadlineService>;
  let outbox: Mocked<OutboxService>;
  let row: ChannelOrderEntity;

  beforeEach(async () => {
    t = await newTestService(OrderDeadlineService);
    outbox = t.mocks.get(OutboxService);
    row = Object.assign(new ChannelOrderEntity(), {
      id: '00000000-0000-4000-8000-000000000001',
      merchantId: '00000000-0000-4000-8000-0000000000aa',
      platform: 'youzan',
      platformOrderId: 'E1',
      status: 'paid',
      deadlineAt: t.clock.now() + 10 * HOUR_MS,
      deadlineSource: 'policy',
      deadlineRisk: null,
      erpOrderId: null,
      shipHolds: null,
    });
    const repo = t.mocks.get(OrderRepository);
    repo.lockById.mockImplementation(async () => row);
    repo.saveOrder.mockImplementation(async (o) => void (row = o));
  });

  const raisedLevels = () =>
    outbox.enqueue.mock.calls.map(([, p]) => (p as { type: string; data: { level: string } }).data.level);

  it('raises the level reached once, and the next level when it is reached', async () => {
    expect(await t.sut.check(row.id)).toBe('h12');
    expect(await t.sut.check(row.id)).toBeNull();
    t.clock.advance(7 * HOUR_MS);
    expect(await t.sut.check(row.id)).toBe('h4');
    t.clock.advance(3 * HOUR_MS);
    expect(await t.sut.check(row.id)).toBe('overdue');
    expect(await t.sut.check(row.id)).toBeNull();
    expect(raisedLevels()).toEqual(['h12', 'h4', 'overdue']);
    expect(row.deadlineRisk).toBe('overdue');
    const ids = outbox.enqueue.mock.calls.map(([, p]) => (p as { eventId: string }).eventId);
    expect(new Set(ids).size).toBe(3);
  });

  it('raises nothing for an order no longer open, or with no deadline, or still far from it', async () => {
    row.status = 'shipped';
    expect(await t.sut.check(row.id)).toBeNull();
    row.status = 'paid';
    row.deadlineAt = null;
    expect(await t.sut.check(row.id)).toBeNull();
    row.deadlineAt = t.clock.now() + 13 * HOUR_MS;
    expect(await t.sut.check(row.id)).toBeNull();
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });
});
