import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DemoSummary } from '@app/demo/demo.main';
import { freePort } from '../support/free-port';

const root = join(__dirname, '..', '..');

/** `npm run demo -- --exit` on small numbers, as a newcomer would run it: the summary it prints. */
describe('npm run demo (the real process)', () => {
  it('runs the whole story and prints a summary with nothing oversold, parity held and every order shipped', async () => {
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
    expect(summary.parity).toEqual({ held: true, maxSpreadPct: 0 });
    expect(summary.shipped).toEqual({ orders: summary.unitsSold, ofOrders: summary.unitsSold });
    expect(summary.deadlines.missed).toBe(0);
    expect(summary.coupons.kuaishou).toBeGreaterThanOrEqual(1);
    expect(summary.coupons.youzan).toBeGreaterThanOrEqual(1);
    expect(summary.failures).toEqual({});
    for (const step of ['Sign in', 'Connect both shops', 'Flash sale', 'shipments written back', 'Summary'])
      expect(out).toContain(step);
    expect(out).toMatch(
      new RegExp(`workspace: http://localhost:${port}/merchants/[0-9a-f-]{36} +sign in as \\S+ / \\S+`),
    );
    // --exit stops the service: its port is free again.
    const res = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 'closed',
    );
    expect(res).toBe('closed');
  }, 300_000);
});
