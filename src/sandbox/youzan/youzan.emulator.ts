import { randomUUID } from 'node:crypto';
import express, { Express, Request, Response } from 'express';
import { Counters } from '../shared/counters';
import { dateHeader, EmulatorClock } from '../shared/emulator-clock';
import { FaultInjector } from '../shared/fault-injector';
import { listen, RunningServer } from '../shared/http-server';
import { PushDispatcher, PushDispatcherOptions } from '../shared/push-dispatcher';
import { SeededRandom } from '../shared/random';
import { ApiDef, APIS, checkParams, UploadedFile } from './youzan-emulator.api';
import { fullOrderInfoView, orderPromotionView } from './youzan-emulator.views';
import { handleAuthorizeDecision, handleAuthorizePage, handleToken } from './youzan-emulator.auth';
import { decodeJson, encodeJson } from './youzan-emulator.codec';
import {
  BusinessError,
  EmulatorError,
  FAULT_ERRORS,
  GatewayError,
  gw,
  RawError,
  rejectionReason,
  traceId,
} from './youzan-emulator.errors';
import { youzanPushMessage } from './youzan-emulator.push';
import { AppType, PushEvent, YouzanEmulatorStore } from './youzan-emulator.store';
import { ControlFaultRule, youzanSandboxRouter } from './youzan-sandbox.routes';

export interface YouzanEmulatorOptions {
  port?: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  /** tool = authorization_code only, self_use = silent only, any = both (default). Wrong flow → 1105. */
  appType?: AppType;
  pushUrl?: string;
  /** Delays before each re-push after a failed delivery (Youzan uses minutes; tests use ms). */
  pushRetryDelaysMs?: number[];
  /** Youzan waits 5 s for the acknowledgement. */
  pushTimeoutMs?: number;
  seed?: number;
  /** Refuse negative deltas on item.quantity.update type=1 (unconfirmed on the real platform). Default false. */
  refuseNegativeIncrement?: boolean;
  /** Orders become readable (trades.sold.get, trade.get, pushes) this many ms after they took stock; default 0 (documented ≥ 30 s). */
  orderReadLagMs?: number;
  /** Give refunded units back to stock when a refund succeeds. Default true. */
  restockOnRefund?: boolean;
  /** How long the previous access token still works after a refresh (docs contradict). Default 0. */
  oldAccessTokenGraceMs?: number;
  /** Refund pushes as legacy trade_refund_* (URL-encoded msg) or new youzan_trade_Refund* (object msg). */
  refundPushStyle?: 'legacy' | 'new';
}

const OPERATION_ID_HEADER = 'x-kwaizan-operation-id';

interface ParsedRequest {
  params: Record<string, unknown>;
  files: UploadedFile[];
}

/** item.quantity.update refusing a negative type-1 delta (refuseNegativeIncrement). */
const NEGATIVE_INCREMENT_REFUSED = 123000106;
/**
 * A local Youzan Cloud: `/auth/token`, `/api/{name}/{version}` with the gateway's checks and
 * real error bodies, push delivery with Youzan's signature, an authorize page, injected faults,
 * and a control API under /__sandbox/. It shares no code with the client in src/platforms/youzan.
 */
export class YouzanEmulator {
  readonly clock = new EmulatorClock();
  readonly counters = new Counters();
  readonly faults: FaultInjector;
  readonly store: YouzanEmulatorStore;
  private readonly dispatcherOptions: PushDispatcherOptions;
  private readonly dispatcher: PushDispatcher;
  private readonly appliedOperations = new Set<string>();
  private faultBudgets = new Map<string, number>();
  private server?: RunningServer;

  private constructor(private readonly options: YouzanEmulatorOptions) {
    this.faults = new FaultInjector(new SeededRandom(options.seed ?? 1));
    this.dispatcherOptions = {
      retryDelaysMs: options.pushRetryDelaysMs ?? [5_000, 320_000, 1_280_000, 7_200_000],
      timeoutMs: options.pushTimeoutMs ?? 5_000,
      isAck: (status, text) => status === 200 && text.includes('success'),
    };
    this.dispatcher = new PushDispatcher(this.dispatcherOptions, this.faults, this.counters);
    this.dispatcher.setTarget(options.pushUrl);
    this.store = new YouzanEmulatorStore(
      {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        appType: options.appType ?? 'any',
        refuseNegativeIncrement: options.refuseNegativeIncrement ?? false,
        orderReadLagMs: options.orderReadLagMs ?? 0,
        restockOnRefund: options.restockOnRefund ?? true,
        oldAccessTokenGraceMs: options.oldAccessTokenGraceMs ?? 0,
        refundPushStyle: options.refundPushStyle ?? 'legacy',
      },
      this.clock,
      (event) => this.push(event),
      (kdtId) => this.dispatcher.target !== undefined && this.store.shops.get(kdtId)?.authorized === true,
    );
    this.store.fullOrderInfoHook = (order) => fullOrderInfoView(this.store, order);
    this.store.readLagListener = () => this.counters.fault('read_lag');
    this.store.orderPromotionHook = (order) => orderPromotionView(order);
  }

  static async start(options: YouzanEmulatorOptions): Promise<YouzanEmulator> {
    const emulator = new YouzanEmulator(options);
    emulator.server = await listen(emulator.app(), options.port ?? 0, options.host ?? '127.0.0.1');
    return emulator;
  }

  get url(): string {
    if (!this.server) throw new Error('emulator not started');
    return this.server.url;
  }

  get port(): number {
    if (!this.server) throw new Error('emulator not started');
    return this.server.port;
  }

  async stop(): Promise<void> {
    await this.dispatcher.stop();
    await this.server?.close();
    this.server = undefined;
  }

  private app(): Express {
    const app = express();
    app.use(dateHeader(this.clock));
    app.disable('x-powered-by');
    app.use(
      '/__sandbox',
      youzanSandboxRouter({
        store: this.store,
        faults: this.faults,
        counters: this.counters,
        clock: this.clock,
        dispatcher: this.dispatcher,
        dispatcherOptions: this.dispatcherOptions,
        setFaultRules: (rules) => this.setFaultRules(rules),
        sendTestPush: (kdtId, type) => this.sendTestPush(kdtId, type),
      }),
    );
    // The gateway reads bodies itself (JSON, form, multipart; see parseRequest).
    app.use(express.raw({ type: () => true, limit: '10mb' }));
    app.post('/auth/token', (req, res) => handleToken(this.store, this.counters, req, res));
    app.get('/oauth/authorize', (req, res) => handleAuthorizePage(this.store, this.options.clientId, req, res));
    app.post('/oauth/authorize/decision', (req, res) =>
      handleAuthorizeDecision(this.store, this.options.clientId, req, res),
    );
    app.all(/^\/api(\/.*)?$/, (req, res) => {
      void this.handleApi(req, res);
    });
    app.use((_req, res) => res.status(404).json({ error: 'not_found' }));
    return app;
  }

  private setFaultRules(rules: ControlFaultRule[]): void {
    this.faults.setRules(rules.map(({ times: _times, ...rule }) => rule));
    this.faultBudgets = new Map(
      rules.filter((r) => r.times !== undefined).map((r) => [r.api, Math.max(0, r.times as number)]),
    );
  }

  /** A rule with `times` retires after hitting that many calls. */
  private spendFaultBudget(api: string): void {
    for (const [ruleApi, left] of this.faultBudgets) {
      if (ruleApi !== api && ruleApi !== '*') continue;
      if (left <= 1) {
        this.faultBudgets.delete(ruleApi);
        this.faults.setRules(this.faults.describe().rules.filter((r) => r.api !== ruleApi));
      } else this.faultBudgets.set(ruleApi, left - 1);
    }
  }

  private send(res: Response, body: unknown): void {
    res.status(200).type('application/json;charset=UTF-8').send(encodeJson(body));
  }

  private reject(res: Response, error: EmulatorError, legacy = false): void {
    this.counters.rejected(rejectionReason(error));
    if (error instanceof BusinessError && error.code === NEGATIVE_INCREMENT_REFUSED)
      this.counters.fault('refused_negative_increment');
    const now = this.clock.now();
    if (legacy && error instanceof BusinessError) {
      this.send(res, { error_response: { code: error.code, msg: error.message } });
      return;
    }
    this.send(res, error instanceof RawError ? error.body() : error.body(now));
  }

  private async handleApi(req: Request, res: Response): Promise<void> {
    const segments = req.path.split('/').filter(Boolean);
    if (segments.length !== 3) {
      this.reject(res, gw.badAddress());
      return;
    }
    const [, name, version] = segments;
    this.counters.call(name);
    const def: ApiDef | undefined = APIS[name];
    // Unknown name or version is refused before the token is looked at.
    if (!def || !def.versions.includes(version)) {
      this.reject(res, gw.badApi());
      return;
    }
    let parsed: ParsedRequest;
    try {
      parsed = parseRequest(req);
      const token = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
      const shop = this.store.shopForToken(token);

      const plan = this.faults.plan(name);
      const faulted =
        plan.latencyMs > 0 ||
        plan.httpError ||
        plan.throttle ||
        plan.error !== undefined ||
        plan.dropResponse ||
        plan.lateApplyMs !== undefined;
      if (faulted) this.spendFaultBudget(name);
      if (plan.latencyMs > 0) {
        this.counters.fault('latency');
        await new Promise((resolve) => setTimeout(resolve, plan.latencyMs));
      }
      if (plan.httpError) {
        this.counters.rejected('http:502');
        this.counters.fault('http_error');
        res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      }
      if (plan.throttle) {
        this.counters.fault('throttle');
        throw gw.throttled();
      }
      if (plan.error !== undefined) {
        this.counters.fault('error');
        throw (FAULT_ERRORS[plan.error] ?? FAULT_ERRORS.system)();
      }

      checkParams(def, parsed.params);
      if (plan.lateApplyMs !== undefined) {
        // Accepted by the gateway, applied after the caller gave up: a revocation in between does not stop it.
        this.counters.fault('late_apply');
        await new Promise((resolve) => setTimeout(resolve, plan.lateApplyMs));
      }
      let answer: unknown;
      let failure: EmulatorError | undefined;
      try {
        const data = def.handle({ shop, params: parsed.params, store: this.store, files: parsed.files });
        this.applied(name, def, parsed.params, req);
        answer = def.legacy
          ? { response: data }
          : { trace_id: traceId(this.clock.now()), code: 200, success: true, message: 'successful', data };
      } catch (error) {
        if (!(error instanceof GatewayError || error instanceof BusinessError || error instanceof RawError))
          throw error;
        failure = error;
      }
      if (plan.dropResponse) {
        // The write happened; the caller never learns it.
        this.counters.rejected('response_dropped_after_apply');
        this.counters.fault('response_dropped_after_apply');
        req.socket.destroy();
        return;
      }
      if (res.writableEnded || req.socket.destroyed) {
        if (failure) this.counters.rejected(rejectionReason(failure));
        return;
      }
      if (failure) this.reject(res, failure, def.legacy);
      else this.send(res, answer);
    } catch (error) {
      if (error instanceof GatewayError || error instanceof BusinessError || error instanceof RawError) {
        this.reject(res, error, def.legacy);
        return;
      }
      // An emulator bug, not platform behaviour: answer like the gateway but keep the cause visible.
      this.counters.rejected('internal');
      this.send(res, new GatewayError(5001, `系统异常(${(error as Error).message})`).body(this.clock.now()));
    }
  }

  private applied(name: string, def: ApiDef, params: Record<string, unknown>, req: Request): void {
    if (!def.write) return;
    this.counters.writeApplied(name);
    const operationId = req.headers[OPERATION_ID_HEADER];
    if (typeof operationId === 'string' && operationId && def.stockWrite?.(params)) {
      if (this.appliedOperations.has(operationId)) this.counters.duplicateOperationIds++;
      this.appliedOperations.add(operationId);
    }
  }

  private push(event: PushEvent): void {
    const shop = this.store.shops.get(event.kdtId);
    // Only shops with a live authorization get messages.
    if (!shop || !shop.authorized || shop.revoked) return;
    const message = youzanPushMessage(this.options, {
      event,
      shopName: shop.name,
      msgId: randomUUID(),
      version: Math.floor(this.clock.now() / 1000),
    });
    this.dispatcher.send(message);
  }

  private sendTestPush(kdtId: number | undefined, type: string): string {
    const shop = kdtId !== undefined ? this.store.shop(kdtId) : [...this.store.shops.values()][0];
    const msgId = randomUUID();
    const event: PushEvent = { type, kdtId: shop?.kdtId ?? 0, id: '', status: null, msg: { test: true } };
    this.dispatcher.send(
      youzanPushMessage(this.options, {
        event,
        shopName: shop?.name ?? '',
        msgId,
        version: Math.floor(this.clock.now() / 1000),
        test: true,
      }),
    );
    return msgId;
  }
}

/**
 * Reads API parameters the way the gateway accepts them: JSON body (the norm), form body,
 * multipart (uploads) or GET query. `text/plain` and unknown types → 4007; bad JSON → 4004.
 */
function parseRequest(req: Request): ParsedRequest {
  const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const ctype = String(req.headers['content-type'] ?? '').toLowerCase();
  if (req.method === 'GET') {
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(req.query)) if (k !== 'access_token' && typeof v === 'string') params[k] = v;
    return { params, files: [] };
  }
  if (req.method !== 'POST') throw gw.badPosture(`method ${req.method}`);
  if (ctype.startsWith('application/json')) {
    const text = raw.toString('utf8').trim();
    if (!text) return { params: {}, files: [] };
    let parsed: unknown;
    try {
      parsed = decodeJson(text);
    } catch {
      throw gw.badContent();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw gw.badContent();
    return { params: parsed as Record<string, unknown>, files: [] };
  }
  if (ctype.startsWith('application/x-www-form-urlencoded'))
    return { params: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
  if (ctype.startsWith('multipart/form-data')) return parseMultipart(raw, String(req.headers['content-type']));
  if (!ctype && raw.length === 0) return { params: {}, files: [] };
  throw gw.badPosture(`Content-Type ${ctype || 'none'}`);
}

function parseMultipart(raw: Buffer, ctype: string): ParsedRequest {
  const boundary = /boundary="?([^";]+)"?/.exec(ctype)?.[1];
  if (!boundary) throw gw.badContent();
  const delimiter = Buffer.from(`--${boundary}`);
  const params: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const field = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
      if (filename !== undefined) files.push({ field, filename, contentType, size: content.length });
      else params[field] = content.toString('utf8');
    }
    start = next;
  }
  return { params, files };
}
