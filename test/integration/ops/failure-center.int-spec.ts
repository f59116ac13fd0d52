import { createTestUser, TestUser } from '@test/support/access';
import { SyncFailureView } from '@app/ops/failures/dto/sync-failure.view';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

const YZ_STOCK = 'youzan.item.quantity.update';

/**
 * The failure center's bulk actions through its pages, as a browser sends them: each failure's
 * result is audited (who, when, note), the write is checked on the emulator, and repeating a
 * submitted form neither runs it twice nor claims the opposite of what happened.
 */
describe('ops console failure center (bulk retry and dismiss, audited)', () => {
  let h: InventoryHarness;
  let ops: TestUser;

  beforeAll(async () => {
    h = await InventoryHarness.start('failure-center');
    ops = await createTestUser(h.stack.t.app, 'ops');
  });

  afterAll(async () => {
    await h?.stack.yzControl.resetFaults();
    await h?.close();
  });

  const page = (path: string) =>
    fetch(`${h.stack.url}${path}`, { headers: { cookie: ops.cookie }, redirect: 'manual' });

  function post(path: string, fields: [string, string][], csrf = ops.csrf) {
    const body = new URLSearchParams([...(csrf ? [['_csrf', csrf] as [string, string]] : []), ...fields]);
    return fetch(`${h.stack.url}${path}`, {
      method: 'POST',
      headers: { cookie: ops.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
  }

  async function failureOf(sku: SkuFixture): Promise<SyncFailureView> {
    const res = await fetch(`${h.stack.url}/ops/failures?entityRef=${sku.merchantSkuId}&status=open&platform=youzan`, {
      headers: await h.opsAuth(),
    });
    const [item] = ((await res.json()) as { items: SyncFailureView[] }).items;
    expect(item).toBeDefined();
    return item;
  }

  const status = async (id: string) =>
    (
      (await (
        await fetch(`${h.stack.url}/ops/failures/${id}`, { headers: await h.opsAuth() })
      ).json()) as SyncFailureView
    ).status;

  const auditRows = (text: string) =>
    [...text.matchAll(/data-testid="audit-row" data-failure="([^"]+)"/g)].map((m) => m[1]);

  it('retries two and dismisses a third in bulk, each audited, and a repeated submit changes nothing', async () => {
    const skus = [
      await h.sku('FC-1', { onHand: 10, mode: 'split' }),
      await h.sku('FC-2', { onHand: 10, mode: 'split' }),
      await h.sku('FC-3', { onHand: 10, mode: 'split' }),
    ];
    await h.stack.yzControl.setFaults({ rules: [{ api: YZ_STOCK, errorRate: 1, error: 'throttle' }] });
    for (const sku of skus) await h.erp(sku.code, 30);
    await h.quiet();
    const [a, b, c] = await Promise.all(skus.map(failureOf));
    await h.stack.yzControl.resetFaults();

    // The list finds them by platform, code and free text.
    const list = await (
      await page(`/ops/console/failures?platform=youzan&errorCode=RATE_LIMITED&q=${skus[0].merchantSkuId}`)
    ).text();
    expect(list).toContain(`data-id="${a.id}"`);
    expect(list).not.toContain(`data-id="${b.id}"`);

    // Step one only shows what would be done.
    const confirm = await post('/ops/console/failures/confirm', [
      ['action', 'retry'],
      ['ids', a.id],
      ['ids', b.id],
      ['note', 'platform back'],
    ]);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('data-testid="confirm-action"');
    expect([await status(a.id), await status(b.id)]).toEqual(['open', 'open']);

    // Without the CSRF token nothing runs.
    const forged = await post(
      '/ops/console/failures/actions',
      [
        ['action', 'retry'],
        ['ids', a.id],
      ],
      '',
    );
    expect(forged.status).toBe(403);
    expect(await status(a.id)).toBe('open');

    const done = await post('/ops/console/failures/actions', [
      ['action', 'retry'],
      ['ids', a.id],
      ['ids', b.id],
      ['note', 'platform back'],
    ]);
    expect(done.status).toBe(303);
    const batchUrl = done.headers.get('location')!;
    expect(batchUrl).toMatch(/^\/ops\/console\/batches\/[0-9a-f-]{36}$/);
    await h.quiet();
    // Measured on the emulator: the retried writes landed.
    for (const sku of skus.slice(0, 2)) {
      const allocations = await h.allocations(sku);
      expect((await h.platformStock(sku)).youzan).toBe(allocations.youzan.allotted);
    }
    expect([await status(a.id), await status(b.id)]).toEqual(['resolved', 'resolved']);
    const result = await (await page(batchUrl)).text();
    expect(auditRows(result).sort()).toEqual([a.id, b.id].sort());
    expect(result).toContain(ops.email);
    expect(result).toContain('platform back');
    expect(result).toContain('Done for 2 of 2');
    // A refresh of the result page reads the same audit back.
    expect(await (await page(batchUrl)).text()).toContain('Done for 2 of 2');

    // The same form sent again: refused for each, nothing changed, and the page says so.
    const again = await post('/ops/console/failures/actions', [
      ['action', 'retry'],
      ['ids', a.id],
      ['ids', b.id],
    ]);
    const againText = await (await page(again.headers.get('location')!)).text();
    expect(againText).toContain('Done for 0 of 2');
    expect(againText).toContain('FAILURE_CLOSED');
    expect(againText).not.toContain('data-testid="status-open"');

    // Dismiss needs a reason; without one nothing is done.
    const noNote = await post('/ops/console/failures/actions', [
      ['action', 'dismiss'],
      ['ids', c.id],
    ]);
    expect(noNote.status).toBe(400);
    expect(await noNote.text()).toContain('Say why when dismissing');
    expect(await status(c.id)).toBe('open');

    const dismissed = await post('/ops/console/failures/actions', [
      ['action', 'dismiss'],
      ['ids', c.id],
      ['ids', a.id],
      ['note', 'ERP recount tomorrow'],
    ]);
    const dismissText = await (await page(dismissed.headers.get('location')!)).text();
    expect(dismissText).toContain('Done for 1 of 2');
    expect(await status(c.id)).toBe('dismissed');
    expect(await status(a.id)).toBe('resolved');

    // The detail page keeps the whole audit of a failure and its raw platform answer.
    const detail = await (await page(`/ops/console/failures/${c.id}`)).text();
    expect(auditRows(detail)).toEqual([c.id]);
    expect(detail).toContain('ERP recount tomorrow');
    expect(detail).toContain(ops.email);
    const detailA = await (await page(`/ops/console/failures/${a.id}`)).text();
    expect(auditRows(detailA)).toHaveLength(3);
    expect(detailA).toContain('data-testid="raw-answer"');

    // Replay runs a resolved failure's write again (the platform answers), audited like the rest.
    const replayed = await post('/ops/console/failures/actions', [
      ['action', 'replay'],
      ['ids', a.id],
      ['note', 'check Youzan again'],
    ]);
    const replayText = await (await page(replayed.headers.get('location')!)).text();
    expect(replayText).toContain('Done for 1 of 1');
    expect(replayText).toContain('data-testid="status-resolved"');
    expect(await status(a.id)).toBe('resolved');
    await h.quiet();
    expect((await h.platformStock(skus[0])).youzan).toBe((await h.allocations(skus[0])).youzan.allotted);
    expect(auditRows(await (await page(`/ops/console/failures/${a.id}`)).text())).toHaveLength(4);
  }, 180_000);

  it('answers bad input with words, not a 500', async () => {
    const bad = await page('/ops/console/failures?platform=taobao&page=abc');
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('Platform is kuaishou or youzan');
    expect(text).toContain('Page is a whole number');
    const badIds = await post('/ops/console/failures/confirm', [
      ['action', 'retry'],
      ['ids', 'nope'],
    ]);
    expect(badIds.status).toBe(400);
    expect(await badIds.text()).toContain('A failure id is not valid');
  }, 60_000);
});
