import { randomBytes } from 'node:crypto';
import { Controller, Get, Module, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '@app/auth/policy.decorator';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { kuaishouPush, sendRaw } from '../support/hostile';
import { startTestApp, TestApp } from '../support/test-app';

@Controller('__test')
class WhoAmIController {
  @Get('ip')
  @Public()
  ip(@Req() req: Request): { ip: string | undefined } {
    return { ip: req.ip };
  }
}

@Module({ controllers: [WhoAmIController] })
class WhoAmIModule {}

describe('hardening', () => {
  describe('rejected Kuaishou pushes', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ label: 'harden', listen: true });
    });
    afterAll(() => t?.close());

    it('get one answer whatever was wrong, so the answer cannot serve as a decryption oracle', async () => {
      const event = {
        eventId: 'e-1',
        bizId: 1,
        openId: 'o-1',
        event: 'kwaishop_order_paySuccess',
        info: '{"oid":1}',
        createTime: 1,
      };
      const badPadding = { ...kuaishouPush('{"test":true}'), body: randomBytes(32).toString('base64') };
      const cases = {
        badPadding,
        truncated: { ...badPadding, body: randomBytes(17).toString('base64') },
        notJson: kuaishouPush('this is not json'),
        infoNotJson: kuaishouPush(
          JSON.stringify({ ...event, appKey: SANDBOX_CREDENTIALS.kuaishou.appKey, info: '{oops' }),
        ),
        anotherApp: kuaishouPush(JSON.stringify({ ...event, appKey: 'ks-someone-else' })),
        inClear: { ...badPadding, body: JSON.stringify({ ...event, appKey: SANDBOX_CREDENTIALS.kuaishou.appKey }) },
        empty: { ...badPadding, body: '' },
      };
      const answers: Record<string, { status: number; body: unknown }> = {};
      for (const [name, request] of Object.entries(cases)) {
        const answer = await sendRaw(t.url, request);
        const { correlationId, ...rest } = answer.json as Record<string, unknown>;
        expect(typeof correlationId).toBe('string');
        answers[name] = { status: answer.status, body: rest };
      }
      const expected = {
        status: 400,
        body: { statusCode: 400, error: 'PUSH_REJECTED', message: 'The push was rejected.' },
      };
      expect(answers).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, expected])));
    });
  });

  describe('trust proxy', () => {
    it('is off by default: a client cannot choose its address with X-Forwarded-For', async () => {
      const t = await startTestApp({ label: 'proxy', listen: true, extraModules: [WhoAmIModule] });
      try {
        const answer = await sendRaw(t.url, {
          method: 'GET',
          path: '/__test/ip',
          headers: { 'x-forwarded-for': '203.0.113.7' },
        });
        expect((answer.json as { ip: string }).ip).not.toContain('203.0.113.7');
      } finally {
        await t.close();
      }
    });

    it('takes the forwarded address from the proxies it is told to trust', async () => {
      const t = await startTestApp({
        label: 'proxy',
        listen: true,
        extraModules: [WhoAmIModule],
        env: { TRUST_PROXY: 'loopback' },
      });
      try {
        const answer = await sendRaw(t.url, {
          method: 'GET',
          path: '/__test/ip',
          headers: { 'x-forwarded-for': '203.0.113.7' },
        });
        expect((answer.json as { ip: string }).ip).toBe('203.0.113.7');
      } finally {
        await t.close();
      }
    });
  });
});
