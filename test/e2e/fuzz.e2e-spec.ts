import { randomUUID } from 'node:crypto';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { BREAKS_JSON, BREAKS_JSON_API, damageJson, Hostile, RawJson, toJsonText } from '../support/fuzz';
import {
  authFor,
  erpDelivery,
  HostileCallers,
  isErrorBody,
  kuaishouPush,
  RawAnswer,
  RawRequest,
  sendRaw,
  settledChecksums,
  youzanPush,
} from '../support/hostile';
import { createTestErpCredential, createTestMerchant, createTestUser } from '../support/access';
import { startTestApp, TestApp } from '../support/test-app';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Bodies per entry point; raise it locally to fuzz harder. */
const BODIES = Number(process.env.FUZZ_BODIES ?? 1500);

/** What one generated body is: where it goes and its bytes before authentication is added. */
interface FuzzInput {
  method: RawRequest['method'];
  path: string;
  contentType?: string;
  body?: Buffer;
  /** For the report. */
  note: string;
}

/**
 * One entry point: `generate` makes a body that must be refused, `send` adds what the caller
 * needs to get past authentication (signatures, encryption, and after the access work: sessions,
 * CSRF tokens, ERP key ids) and sends it.
 */
interface FuzzEntry {
  name: string;
  generate(h: Hostile): FuzzInput;
  send(input: FuzzInput): Promise<RawAnswer>;
}

/** Returns the template with one change that makes it invalid, plus random noise. */
type Mutation<T> = (h: Hostile, value: T) => void;

function mutate<T extends Record<string, unknown>>(h: Hostile, template: T, breaking: Mutation<T>[]): T {
  const copy = structuredClone(template);
  for (let i = h.int(1, 2); i > 0; i--) h.pick(breaking)(h, copy);
  return copy;
}

const KS = SANDBOX_CREDENTIALS.kuaishou;
const YZ = SANDBOX_CREDENTIALS.youzan;

describe('fuzz: hostile bodies at every entry point', () => {
  let t: TestApp;
  let merchantId: string;
  let erpKey: { keyId: string; secret: string };
  const callers: HostileCallers = {};
  const send = (request: RawRequest) =>
    sendRaw(t.url, { ...request, headers: { ...authFor(callers, request.path), ...request.headers } });
  const plain = (input: FuzzInput): RawRequest => ({
    method: input.method,
    path: input.path,
    headers: input.contentType ? { 'content-type': input.contentType } : {},
    body: input.body,
  });
  const jsonInput = (
    h: Hostile,
    method: FuzzInput['method'],
    path: string,
    value: unknown,
    damage: number[] | undefined,
    note: string,
  ): FuzzInput => {
    const text = toJsonText(value);
    if (damage && h.chance(0.3)) return { method, path, ...damageJson(h, text, damage), note: `${note} (damaged)` };
    return { method, path, contentType: 'application/json', body: Buffer.from(text), note };
  };

  const entries: FuzzEntry[] = [
    {
      name: 'Kuaishou push (correctly encrypted)',
      generate: (h) => {
        const template: Record<string, unknown> = {
          eventId: `ev-${h.int(1, 1e9)}`,
          bizId: 2607602240240301,
          openId: 'open-fuzz',
          appKey: KS.appKey,
          event: 'kwaishop_order_paySuccess',
          info: JSON.stringify({ oid: 2607602240240301, status: 30 }),
          createTime: 1767225601000,
        };
        const event = mutate(h, template, [
          (hh, e) => (e.eventId = hh.notId(100)),
          (hh, e) => (e.openId = hh.notId(100)),
          (hh, e) => (e.bizId = hh.notId(64)),
          (hh, e) => (e.event = hh.pick([[], ['kwaishop_order_paySuccess'], { a: 1 }, true])),
          (hh, e) => (e.appKey = hh.pick([undefined, null, '', 'ks-other', [KS.appKey], hh.any()])),
          (hh, e) =>
            (e.info = hh.pick([
              '{oops',
              '[1,2]x',
              toJsonText({ oid: hh.notId(64), status: 30 }),
              toJsonText({ oid: 1, status: hh.pick([[], { a: 1 }, true]) }),
            ])),
          (hh, e) => (e.createTime = hh.pick([[], { a: 1 }, true])),
        ]);
        if (h.chance(0.5)) event[h.pick(['extra', 'msgId', 'userId', 'test'])] = h.any();
        if (event.test === true) event.test = false;
        const top = h.chance(0.1) ? h.pick([[event, h.any()], h.any(), null]) : event;
        const text = toJsonText(top === undefined || (typeof top !== 'object' && h.chance(0.5)) ? event : top);
        const damaged = h.chance(0.2) ? damageJson(h, text, BREAKS_JSON) : { body: Buffer.from(text) };
        return {
          method: 'POST',
          path: '/webhooks/kuaishou',
          body: damaged.body,
          note: damaged.body.toString('utf8').slice(0, 300),
        };
      },
      send: (input) => send(kuaishouPush(input.body!)),
    },
    {
      name: 'Kuaishou push (garbage on the wire)',
      generate: (h) => {
        const body = h.pick([
          () => Buffer.from(h.string(1, 400, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')),
          () => Buffer.from(h.string(1, 200)),
          () => Buffer.from(toJsonText(h.any())),
          () =>
            Buffer.from(
              toJsonText({ eventId: 'x', appKey: KS.appKey, event: 'kwaishop_order_paySuccess', info: '{"oid":1}' }),
            ),
          () => Buffer.from([0xff, 0xfe, 0x00, 0x41]),
        ])();
        return {
          method: 'POST',
          path: '/webhooks/kuaishou',
          contentType: h.pick(['text/plain;charset=utf-8', 'text/plain', 'application/json']),
          body,
          note: body.toString('latin1').slice(0, 200),
        };
      },
      send: (input) => send(plain(input)),
    },
    {
      name: 'Youzan push (correctly signed)',
      generate: (h) => {
        const template: Record<string, unknown> = {
          client_id: YZ.clientId,
          id: 'E20260101000000000001',
          kdt_id: 91001,
          type: 'trade_TradePaid',
          status: 'WAIT_SELLER_SEND_GOODS',
          msg: encodeURIComponent(JSON.stringify({ tid: 'E20260101000000000001', update_time: '2026-01-01 10:00:00' })),
          msg_id: randomUUID(),
          version: 1767225601,
        };
        const body = mutate(h, template, [
          (hh, b) => (b.msg_id = hh.notId(100)),
          (hh, b) => (b.kdt_id = hh.notId(100)),
          (hh, b) => (b.id = hh.notId(64)),
          (hh, b) => (b.type = hh.pick([undefined, null, 1, [], ['trade_TradePaid'], { a: 1 }])),
          (hh, b) => (b.client_id = hh.pick(['yz-other', '', 0, [], [YZ.clientId], { a: 1 }])),
          (hh, b) => (b.status = hh.pick([[], { a: 1 }, true])),
          (hh, b) => (b.version = hh.pick([[], { a: 1 }, true])),
          (hh, b) =>
            (b.msg = hh.pick([
              1,
              true,
              [],
              ['a'],
              '%E0%A4%A',
              encodeURIComponent('{oops'),
              encodeURIComponent(toJsonText({ tid: hh.notId(64) })),
            ])),
        ]);
        if (h.chance(0.5)) body[h.pick(['extra', 'kdt_name', 'sendCount', 'sign'])] = h.any();
        delete body.test;
        const text = toJsonText(h.chance(0.05) ? [body] : body);
        const damaged = h.chance(0.2)
          ? damageJson(h, text, BREAKS_JSON)
          : { body: Buffer.from(text), contentType: 'application/json' };
        return {
          method: 'POST',
          path: '/webhooks/youzan',
          contentType: damaged.contentType ?? 'application/json',
          body: damaged.body,
          note: damaged.body.toString('utf8').slice(0, 300),
        };
      },
      send: (input) => send(youzanPush(input.body!, input.contentType)),
    },
    {
      name: 'ERP stock webhook (correctly signed)',
      generate: (h) => {
        const update = (): Record<string, unknown> => ({
          skuCode: `FZ-${h.int(1, 5)}`,
          onHand: h.int(0, 100),
          sequence: h.int(1, 1000),
        });
        const template: Record<string, unknown> = { updates: [update(), update()] };
        const body = mutate(h, template, [
          (hh, b) => (b[hh.pick(['extra', 'merchant', '__proto__x'])] = hh.any()),
          (hh, b) =>
            (b.merchantId = hh.pick([
              null,
              1,
              [],
              [merchantId],
              { a: 1 },
              'not-a-uuid',
              hh.string(1, 300),
              randomUUID(),
            ])),
          (hh, b) => (b.updates = hh.pick([null, {}, 'x', 1, [], Array.from({ length: 501 }, update), [hh.any()]])),
          (_hh, b) => delete b.updates,
          (hh, b) => {
            const u = Array.isArray(b.updates) ? (b.updates[0] as Record<string, unknown>) : undefined;
            if (!u || typeof u !== 'object') {
              b.updates = [];
              return;
            }
            const field = hh.pick(['skuCode', 'onHand', 'sequence', 'title', 'extra']);
            if (field === 'skuCode')
              u.skuCode = hh.pick([hh.notString(), '', 'has space', 'x'.repeat(65), '中文', '\u0000']);
            else if (field === 'title') u.title = hh.pick([hh.notString(), 'x'.repeat(201)]);
            else if (field === 'extra') u[hh.pick(['extra', 'on_hand'])] = hh.any();
            else if (field === 'onHand') u.onHand = hh.pick([hh.notCount(), -5, 10_000_000]);
            else u.sequence = hh.pick([hh.notCount(), 0, -5]);
          },
          (hh, b) => {
            const u = Array.isArray(b.updates) ? (b.updates[1] as Record<string, unknown>) : undefined;
            if (u && typeof u === 'object') delete u[hh.pick(['skuCode', 'onHand', 'sequence'])];
            else b.updates = null;
          },
        ]);
        return jsonInput(h, 'POST', '/webhooks/erp/stock', body, BREAKS_JSON_API, 'erp');
      },
      send: (input) => {
        const signed = erpDelivery(erpKey, input.body ?? Buffer.alloc(0));
        const { 'content-type': _json, ...headers } = signed.headers;
        return send({
          ...signed,
          headers: input.contentType ? { ...headers, 'content-type': input.contentType } : headers,
        });
      },
    },
    {
      name: 'merchant create',
      generate: (h) => {
        const body = mutate(h, { name: '测试商户' } as Record<string, unknown>, [
          (hh, b) =>
            (b.name = hh.pick([
              hh.notString(),
              '',
              '   ',
              '\u3000\t',
              'x'.repeat(hh.int(101, 3000)),
              'bell\u0007',
              'nul\u0000',
              '\ud800',
              '\ufffd',
            ])),
          (hh, b) => (b[hh.pick(['id', 'extra', 'createdAt', '__proto__x'])] = hh.any()),
          (_hh, b) => delete b.name,
        ]);
        return jsonInput(h, 'POST', '/api/merchants', body, BREAKS_JSON_API, 'merchant');
      },
      send: (input) => send(plain(input)),
    },
    {
      name: 'SKU settings PUT',
      generate: (h) => {
        const body = mutate(h, {} as Record<string, unknown>, [
          (hh, b) => (b[hh.pick(['safetyStock', 'scarceBelow', 'tranche'])] = hh.pick([hh.notCount(), 10_000_000])),
          (hh, b) => (b.tranche = hh.pick([0, -1])),
          (hh, b) => (b.allocationMode = hh.pick([null, '', 'AUTO', 'random', 1, [], ['auto']])),
          (hh, b) =>
            (b.platformLimits = hh.pick([
              null,
              [],
              'x',
              1,
              { kuaishou: null },
              { kuaishou: [] },
              { kuaishou: { min: hh.notCount() } },
              { youzan: { max: hh.notCount() } },
              { tmall: {} },
              { kuaishou: { min: 1, extra: 1 } },
            ])),
          (hh, b) => (b[hh.pick(['extra', 'onHand', 'merchantSkuId', '__proto__'])] = hh.any()),
        ]);
        // A valid field beside the broken one must not be applied either.
        if (h.chance(0.3) && Object.keys(body).length) body.safetyStock ??= h.int(0, 5);
        return jsonInput(
          h,
          'PUT',
          `/api/merchants/${merchantId}/skus/FZ-1/settings`,
          body,
          BREAKS_JSON_API,
          'settings',
        );
      },
      send: (input) => send(plain(input)),
    },
    {
      name: 'ops settings PUT',
      generate: (h) => {
        const body = mutate(h, {} as Record<string, unknown>, [
          // Never null: null is valid here (back to the default).
          (hh, b) =>
            (b[hh.pick(['retentionPushesDays', 'retentionInboxDays', 'signInMaxAttempts', 'sessionIdleSeconds'])] =
              hh.pick([true, 0, -1, 2.5, 1e20, 2 ** 53 + 2, '30', '', [30], { a: 1 }, new RawJson('1e400')])),
          (hh, b) =>
            (b.failureRetryDelaysMs = hh.pick([
              [],
              60000,
              '60000',
              [0],
              [60000, 'x'],
              [1e20],
              Array.from({ length: 21 }, () => 60000),
              [[60000]],
              { 0: 60000 },
              [null],
            ])),
          // defineProperty: `b['__proto__'] = …` would set the prototype, not a key, and send `{}`.
          (hh, b) =>
            Object.defineProperty(b, hh.pick(['extra', 'RETENTIONPUSHESDAYS', '__proto__', 'constructor']), {
              value: hh.any(),
              enumerable: true,
              configurable: true,
              writable: true,
            }),
        ]);
        // A valid setting beside the broken one must not be applied either.
        if (h.chance(0.3)) body.retentionDriftDays ??= h.int(1, 100);
        return jsonInput(h, 'PUT', '/ops/settings', body, BREAKS_JSON_API, 'ops settings');
      },
      send: (input) => send(plain(input)),
    },
    {
      name: 'ops failures query',
      generate: (h) => {
        const params = new URLSearchParams();
        const broken = h.pick([
          () =>
            params.set(
              'page',
              String(h.pick(['0', '-1', '1e20', '99999999999', 'abc', '1.5', '', '0x10', 'NaN', 'Infinity'])),
            ),
          () => params.set('pageSize', String(h.pick(['0', '201', '-5', '1e3', 'x']))),
          () => params.set('status', h.pick(['lost', 'open,lost', 'OPEN'])),
          () => params.set('platform', h.pick(['tmall', 'KUAISHOU', ''])),
          () => params.set(h.pick(['context', 'shopRef', 'errorCode', 'entityRef', 'q']), 'x'.repeat(h.int(192, 3000))),
          () => params.set(h.pick(['unknown', 'sort', '__proto__', 'limit']), h.string(1, 20)),
          () => {
            params.append('page', '1');
            params.append('page', '2');
          },
        ]);
        broken();
        const noise = h.pick(['q', 'context', 'errorCode']);
        if (h.chance(0.5) && !params.has(noise)) params.set(noise, h.string(1, 30));
        return { method: 'GET', path: `/ops/failures?${params.toString()}`, note: params.toString().slice(0, 300) };
      },
      send: (input) => send(plain(input)),
    },
  ];

  beforeAll(async () => {
    t = await startTestApp({ label: 'fuzz', listen: true });
    callers.admin = await createTestUser(t.app, 'admin');
    callers.ops = await createTestUser(t.app, 'ops');
    const created = await createTestMerchant(t.app, 'fuzz');
    merchantId = created.merchantId;
    callers.owner = created.owner;
    erpKey = await createTestErpCredential(t.app, merchantId);
    const stocked = await send(
      erpDelivery(
        erpKey,
        JSON.stringify({ updates: [1, 2, 3, 4, 5].map((i) => ({ skuCode: `FZ-${i}`, onHand: 10, sequence: 1 })) }),
      ),
    );
    expect(stocked.status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each(entries.map((entry, index) => [entry.name, entry, index] as const))(
    '%s: no 5xx, the error shape, nothing written',
    async (_name, entry, index) => {
      const h = new Hostile(SEED + index);
      const inputs = Array.from({ length: BODIES }, () => entry.generate(h));
      const before = await settledChecksums(t.database.url);
      const problems: { status: number; note: string; answer: string }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < inputs.length) {
          const input = inputs[next++];
          const answer = await entry.send(input);
          if (answer.status < 400 || answer.status > 499 || !isErrorBody(answer.json, answer.status)) {
            problems.push({ status: answer.status, note: input.note.slice(0, 200), answer: answer.text.slice(0, 200) });
          }
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      expect({ problems: problems.length, first: problems.slice(0, 5) }).toEqual({ problems: 0, first: [] });
      expect(await settledChecksums(t.database.url)).toEqual(before);
    },
  );

  it('made bodies that reach past the parsers (not only broken JSON)', () => {
    // Guards the generator: most bodies must be well-formed JSON, so the validators are what is tested.
    const h = new Hostile(SEED);
    const merchant = entries.find((e) => e.name === 'merchant create')!;
    const wellFormed = Array.from({ length: 200 }, () => merchant.generate(h)).filter((input) => {
      try {
        JSON.parse(input.body!.toString('utf8'));
        return input.contentType === 'application/json';
      } catch {
        return false;
      }
    });
    expect(wellFormed.length).toBeGreaterThan(100);
  });
});
