import axios from 'axios';
import { stringify } from 'lossless-json';
import { Clock } from '@app/common/clock';
import { parseJsonSafe } from '@app/common/json';
import { YouzanConfig } from '@app/config/app-config';
import { ShopRef } from '../ports/platform.types';
import { TokenProvider } from '../ports/accounts.port';
import { PlatformError } from '../platform-error';
import { PlatformClockObserver } from '../shared/platform-clock';
import { PlatformGateway } from '../shared/platform-gateway';
import { toTransportError } from '../shared/transport-error';
import { parseYouzanBody, YOUZAN_THROTTLE_BACKOFF_MS } from './youzan-error.parser';

/** A request parameter; bigint is a Long id sent as an exact JSON number. */
export type YouzanParam = string | number | boolean | bigint | null | YouzanParam[] | { [key: string]: YouzanParam };
export type YouzanParams = Record<string, YouzanParam | undefined>;

export interface YouzanHttpOptions {
  timeoutMs?: number;
  /** Delays after consecutive throttles of one API (doc: 3, 6, 12, 24, 48 s). */
  throttleBackoffMs?: number[];
  userAgent?: string;
  clock?: Clock;
  /** Send `operationId` as a header: the emulator counts double applies with it; the real gateway must never see it. */
  sendOperationId?: boolean;
}

export interface YouzanCallOptions {
  /** Safe to repeat: the gateway may retry it after a transient or ambiguous failure. */
  idempotent: boolean;
  /** Sent as `x-kwaizan-operation-id` when the client is configured to (emulators only). */
  operationId?: string;
}

export interface YouzanFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export const OPERATION_ID_HEADER = 'x-kwaizan-operation-id';

/**
 * Calls `POST {base}/api/{name}/{version}?access_token=…` with a JSON body through the
 * platform gateway (rate limits, breaker, retries). An expired or unknown token (4201/4202/4203)
 * is refreshed once through the TokenProvider and the call repeated once: the gateway rejected
 * it before any business logic ran, so even a non-idempotent write is safe to repeat.
 */
export class YouzanHttpClient {
  private readonly timeoutMs: number;
  private readonly backoff: number[];
  private readonly userAgent: string;
  private readonly sendOperationId: boolean;
  private readonly throttleStreak = new Map<string, number>();
  readonly platformClock: PlatformClockObserver;

  constructor(
    private readonly config: Pick<YouzanConfig, 'apiBaseUrl'>,
    private readonly gateway: PlatformGateway,
    private readonly tokens: TokenProvider,
    options: YouzanHttpOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.backoff = options.throttleBackoffMs ?? YOUZAN_THROTTLE_BACKOFF_MS;
    this.userAgent = options.userAgent ?? 'YZY-Open-Client 1.0.0 - Node (kwaizan-sync)';
    const clock = options.clock;
    this.platformClock = new PlatformClockObserver(clock ? () => clock.now() : Date.now);
    this.sendOperationId = options.sendOperationId ?? false;
  }

  async call(
    shop: ShopRef,
    api: string,
    version: string,
    params: YouzanParams,
    options: YouzanCallOptions,
  ): Promise<unknown> {
    const body = stringify(dropUndefined(params)) ?? '{}';
    const headers: Record<string, string> = { 'Content-Type': 'application/json;charset=UTF-8' };
    if (options.operationId && this.sendOperationId) headers[OPERATION_ID_HEADER] = options.operationId;
    return this.withToken(shop, api, options.idempotent, (token) => this.send(api, version, token, body, headers));
  }

  async upload(shop: ShopRef, api: string, version: string, file: YouzanFile): Promise<unknown> {
    return this.withToken(shop, api, true, (token) => {
      const form = new FormData();
      form.append(file.field, new Blob([file.bytes], { type: file.contentType }), file.filename);
      return this.send(api, version, token, form, {});
    });
  }

  private async withToken(
    shop: ShopRef,
    api: string,
    idempotent: boolean,
    send: (token: string) => Promise<unknown>,
  ): Promise<unknown> {
    const spec = { api, shopKey: `youzan:${shop.shopId}`, idempotent };
    const token = await this.tokens.accessToken(shop);
    try {
      return await this.gateway.call(spec, () => send(token));
    } catch (error) {
      if (!(error instanceof PlatformError) || error.code !== 'AUTH_EXPIRED') throw error;
      const fresh = await this.tokens.refreshAfterExpiry(shop, token);
      return this.gateway.call(spec, () => send(fresh));
    }
  }

  private async send(
    api: string,
    version: string,
    token: string,
    body: string | FormData,
    headers: Record<string, string>,
  ): Promise<unknown> {
    const url = `${this.config.apiBaseUrl}/api/${api}/${version}?access_token=${encodeURIComponent(token)}`;
    const parsedJson = await postForJson(
      url,
      body,
      { ...headers, 'User-Agent': this.userAgent },
      api,
      this.timeoutMs,
      this.platformClock,
    );
    const parsed = parseYouzanBody(api, parsedJson);
    if (!parsed.ok) throw this.withThrottleBackoff(api, parsed.error);
    this.throttleStreak.delete(api);
    const data = parsed.data;
    if (typeof data === 'object' && data !== null && (data as { is_success?: unknown }).is_success === false) {
      throw new PlatformError({
        platform: 'youzan',
        api,
        code: 'UNKNOWN',
        message: `${api}: Youzan answered is_success=false`,
        requestId: parsed.traceId,
      });
    }
    return data;
  }

  /** Consecutive throttles of one API back off 3 s, 6 s, 12 s… as the doc recommends. */
  private withThrottleBackoff(api: string, error: PlatformError): PlatformError {
    if (error.code !== 'RATE_LIMITED') return error;
    const streak = this.throttleStreak.get(api) ?? 0;
    this.throttleStreak.set(api, streak + 1);
    return new PlatformError({
      platform: error.platform,
      api: error.api,
      code: error.code,
      message: error.message,
      rawCode: error.rawCode,
      rawMessage: error.rawMessage,
      requestId: error.requestId,
      retryAfterMs: this.backoff[Math.min(streak, this.backoff.length - 1)],
    });
  }
}

function dropUndefined(params: YouzanParams): Record<string, YouzanParam> {
  const out: Record<string, YouzanParam> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * One POST to Youzan Cloud, answered as bigint-safe JSON. Transport failures and non-JSON answers
 * become TEMPORARY (ambiguous: the request may have been handled).
 */
export async function postForJson(
  url: string,
  body: string | FormData,
  headers: Record<string, string>,
  api: string,
  timeoutMs: number,
  platformClock?: PlatformClockObserver,
): Promise<unknown> {
  let text: string;
  try {
    const res = await axios.post<string>(url, body, {
      headers,
      timeout: timeoutMs,
      responseType: 'text',
      transformResponse: (d: string) => d,
      maxRedirects: 0,
    });
    text = res.data;
    platformClock?.observe(res.headers?.date);
  } catch (error) {
    throw toTransportError('youzan', api, error);
  }
  try {
    return parseJsonSafe(text);
  } catch {
    throw new PlatformError({
      platform: 'youzan',
      api,
      code: 'TEMPORARY',
      message: `${api}: answer is not JSON`,
      ambiguous: true,
    });
  }
}
