import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DemoSummary } from '@app/demo/demo.main';
import { freePort } from '../support/free-port';

const root = join(__dirname, '..', '..');

/** `npm run demo -- --exit` on small numbers, as a newcomer would run it: the summary it prints. */
describe('npm run demo (the real process)', () => {
  it('runs the whole story and publishes a catalog item and prints a summary: nothing oversold, parity held, deadlines met, coupons redeemed', async () => {
    const [port, ksPort, yzPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['dist/src/demo/demo.main.js', '--skus=2', '--stock=3', '--buyers=20', '--exit'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          SANDBOX_KUAISHOU_PORT: String(ksPort),
          SANDBOX_YOUZAN_PORT: String(yzPort),
        },
      },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const json = /^DEMO SUMMARY (.*)$/m.exec(out)?.[1];
    expect({ code, summary: json ? 'printed' : out }).toEqual({ code: 0, summary: 'printed' });
    const summary = JSON.parse(json!) as DemoSummary;
    expect(summary.oversoldUnits).toBe(0);
    expect(summary.unitsInWarehouse).toBe(6);
    expect(summary.unitsSold).toBeGreaterThan(0);
    expect(summary.unitsSold).toBeLessThanOrEqual(6);
    // Every buyer either bought one unit or was turned away by the platform.
    const turnedAway = Object.values(summary.turnedAway).reduce((a, b) => a + b, 0);
    expect(summary.unitsSold + turnedAway).toBe(20);
    expect(Object.keys(summary.turnedAway).every((k) => /insufficient|stock/i.test(k))).toBe(true);
    // The catalog: a Youzan item drafted, fixed and published to Kuaishou, audited and bound.
    expect(summary.catalog).toMatchObject({ item: 'DRESS', status: 'live', kuaishouAudit: 'approved', skusBound: 2 });
    expect(summary.catalog.findingsFixed).toBeGreaterThan(0);
    expect(out).toMatch(/PROPERTY_REQUIRED properties\[102\]/);
    expect(out).toMatch(/catalog: +DRESS published to Kuaishou, live \(audit approved/);
    // Parity, per SKU, read from both emulators' prices (the published dress's SKUs included).
    expect(summary.parity).toEqual({
      held: true,
      maxSpreadPct: 0,
      spreadBySku: { 'FLASH-001': 0, 'FLASH-002': 0, 'DRESS-S': 0, 'DRESS-M': 0 },
    });
    expect(out).toMatch(/price parity: +held/);
    // Every order shipped through the ERP webhook, seen shipped on its platform, by its ship-by.
    expect(summary.shipped).toEqual({ orders: summary.unitsSold, ofOrders: summary.unitsSold });
    expect(summary.deadlines.missed).toBe(0);
    expect(summary.deadlines.met).toBe(summary.unitsSold);
    expect(summary.deadlines.kuaishou.met + summary.deadlines.youzan.met).toBe(summary.unitsSold);
    expect(summary.deadlines.kuaishou.met).toBe(summary.soldBy.kuaishou);
    expect(summary.deadlines.youzan.met).toBe(summary.soldBy.youzan);
    expect(out).toMatch(/deadlines: +met/);
    // The campaign's coupon on both platforms, and the buyers who used it counted by the platforms.
    expect(summary.coupons.kuaishou).toBeGreaterThanOrEqual(1);
    expect(summary.coupons.youzan).toBeGreaterThanOrEqual(1);
    expect(summary.coupons.redeemed.kuaishou + summary.coupons.redeemed.youzan).toBeGreaterThan(0);
    expect(summary.coupons.redeemed.kuaishou + summary.coupons.redeemed.youzan).toBeLessThanOrEqual(summary.unitsSold);
    expect(summary.coupons.recordedByService).toBe(summary.coupons.redeemed.kuaishou + summary.coupons.redeemed.youzan);
    // No failures: none seen by the demo, none open in the service's failure center.
    expect(summary.failures).toEqual({});
    expect(out).toMatch(/oversold units: +0 /);
    expect(out).toMatch(/failures by kind: none/);
    for (const step of [
      'Sign in',
      'Connect both shops',
      'Import and publish a catalog item',
      'Flash sale',
      'shipments written back',
      'Parity kept',
      'Summary',
    ])
      expect(out).toContain(step);
    expect(out).toMatch(
      new RegExp(`workspace: http://localhost:${port}/merchants/[0-9a-f-]{36} +sign in as \\S+ / \\S+`),
    );
    expect(out).toMatch(new RegExp(`console: +http://localhost:${port}/ops/console +sign in at .* as \\S+ / \\S+`));
    // The console pages the demo opened as the ops user, each answering with its page.
    expect(
      summary.consolePages.map((p) => [p.name, p.url.replace(`http://localhost:${port}`, ''), p.status, p.ok]),
    ).toEqual([
      ['console home', '/ops/console', 200, true],
      ['failure center', '/ops/console/failures', 200, true],
      ['platform health', '/ops/console/platforms', 200, true],
      ['live charts', '/ops/console/live', 200, true],
      ['ops settings', '/ops-settings', 200, true],
    ]);
    expect(out).toMatch(new RegExp(`ok +platform health +http://localhost:${port}/ops/console/platforms`));
    // --exit stops the service: its port is free again.
    const res = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 'closed',
    );
    expect(res).toBe('closed');
  }, 300_000);
});
