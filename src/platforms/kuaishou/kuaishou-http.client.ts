import axios, { AxiosInstance } from 'axios';
import { Clock, SystemClock } from '@app/common/clock';
import { parseJsonSafe, stringifyJson } from '@app/common/json';
import { KuaishouConfig } from '@app/config/app-config';
import { PlatformError } from '../platform-error';
import { PlatformClockObserver } from '../shared/platform-clock';
import { toTransportError } from '../shared/transport-error';
import { isKuaishouSuccess, KuaishouErrorBody, parseKuaishouError } from './kuaishou-error.parser';
import { KuaishouSignMethod, signKuaishouRequest } from './kuaishou-signer';

/** Documented HTTP verb per API (sheet §2.7, METH); APIs not listed are sent as POST. */
export const KUAISHOU_API_VERBS: Record<string, 'GET' | 'POST'> = {
  'open.item.category': 'GET',
  'open.item.category.config': 'GET',
  'open.item.category.optional.get': 'GET',
  'open.item.category.prop.value.search': 'GET',
  'open.item.category.standard.check': 'GET',
  'open.item.category.suggested.get': 'GET',
  'open.item.get': 'GET',
  'open.item.list.get': 'GET',
  'open.item.sku.list.get': 'GET',
  'open.item.deleted.get': 'GET',
  'open.order.cursor.list': 'GET',
  'open.order.detail': 'GET',
  'open.seller.order.fee.detail': 'GET',
  'open.seller.order.refund.pcursor.list': 'GET',
  'open.seller.order.refund.detail': 'GET',
  'open.refund.reject.reason': 'GET',
  'open.logistics.express.template.list': 'GET',
  'open.logistics.express.template.detail': 'GET',
  'open.address.seller.list': 'GET',
  'open.address.seller.get': 'GET',
  'open.promotion.coupon.page.list': 'GET',
  'open.promotion.coupon.statistic': 'GET',
  'open.shop.info.get': 'GET',
  'open.user.seller.get': 'GET',
  'open.user.info.get': 'GET',
};

export interface KuaishouCall {
  /** API name, e.g. `open.item.get`. */
  api: string;
  accessToken: string;
  /** Business parameters; serialized once (ids as LosslessNumber stay exact) and signed as sent. */
  param?: unknown;
  headers?: Record<string, string>;
  /** Sent as `multipart/form-data` with this file part next to the system params (open.item.image.upload). */
  file?: { field: string; filename: string; contentType: string; bytes: Buffer };
  /** Send as `multipart/form-data` even without a file part. */
  multipart?: boolean;
}

/** A successful answer: the envelope with `data`, or top-level fields for the APIs that use them. */
export type KuaishouEnvelope = KuaishouErrorBody & { data?: unknown } & Record<string, unknown>;

export interface KuaishouHttpOptions {
  timeoutMs: number;
  clock?: Clock;
}

/**
 * Low-level Kuaishou gateway client: path from the method name, the eight system parameters,
 * the signature, form encoding, bigint-safe parsing and the `result == 1` envelope. Failures
 * become PlatformError (transport ones through toTransportError, so timeouts stay ambiguous).
 */
export class KuaishouHttpClient {
  private readonly http: AxiosInstance;
  private readonly clock: Clock;
  readonly platformClock: PlatformClockObserver;

  constructor(
    private readonly config: Pick<KuaishouConfig, 'appKey' | 'appSecret' | 'signSecret' | 'signMethod' | 'apiBaseUrl'>,
    options: KuaishouHttpOptions,
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.platformClock = new PlatformClockObserver(() => this.clock.now());
    this.http = axios.create({
      baseURL: config.apiBaseUrl,
      timeout: options.timeoutMs,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
    });
  }

  async call(call: KuaishouCall, signMethod: KuaishouSignMethod = this.config.signMethod): Promise<KuaishouEnvelope> {
    const param = typeof call.param === 'string' ? call.param : stringifyJson(call.param ?? {});
    const system = {
      access_token: call.accessToken,
      appkey: this.config.appKey,
      method: call.api,
      param,
      signMethod,
      timestamp: String(this.clock.now()),
      version: '1',
    };
    const form = new URLSearchParams({
      ...system,
      sign: signKuaishouRequest(system, this.config.signSecret),
    }).toString();
    const path = `/${call.api.replace(/\./g, '/')}`;
    if (call.file || call.multipart) {
      const multipart = new FormData();
      for (const [key, value] of Object.entries(system)) multipart.append(key, value);
      multipart.append('sign', signKuaishouRequest(system, this.config.signSecret));
      const file = call.file;
      if (file) multipart.append(file.field, new Blob([file.bytes], { type: file.contentType }), file.filename);
      const answer = await this.send(call.api, () =>
        this.http.post<string>(path, multipart, { headers: { ...call.headers } }),
      );
      return this.envelope(call.api, answer);
    }
    const verb = KUAISHOU_API_VERBS[call.api] ?? 'POST';
    const text = await this.send(call.api, () =>
      verb === 'GET'
        ? this.http.get<string>(`${path}?${form}`, { headers: call.headers })
        : this.http.post<string>(path, form, {
            headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', ...call.headers },
          }),
    );
    return this.envelope(call.api, text);
  }

  /** The OAuth endpoints (`/oauth2/access_token`, `/oauth2/refresh_token`): flat JSON answers. */
  async oauth(
    endpoint: 'access_token' | 'refresh_token',
    verb: 'GET' | 'POST',
    params: Record<string, string>,
  ): Promise<KuaishouEnvelope> {
    const api = `oauth2.${endpoint}`;
    const query = new URLSearchParams({
      app_id: this.config.appKey,
      app_secret: this.config.appSecret,
      ...params,
    }).toString();
    const path = `/oauth2/${endpoint}`;
    const text = await this.send(api, () =>
      verb === 'GET'
        ? this.http.get<string>(`${path}?${query}`)
        : this.http.post<string>(path, query, {
            headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
          }),
    );
    return this.envelope(api, text);
  }

  private async send(
    api: string,
    request: () => Promise<{ data: string; headers: Record<string, unknown> }>,
  ): Promise<string> {
    try {
      const answer = await request();
      this.platformClock.observe(answer.headers?.date);
      return answer.data;
    } catch (error) {
      throw toTransportError('kuaishou', api, error);
    }
  }

  private envelope(api: string, text: string): KuaishouEnvelope {
    let body: unknown;
    try {
      body = parseJsonSafe(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      // The call reached the platform and we cannot tell what happened: treat it like a timeout.
      throw new PlatformError({
        platform: 'kuaishou',
        api,
        code: 'TEMPORARY',
        message: `${api}: unreadable answer`,
        rawMessage: String(text).slice(0, 200),
        ambiguous: true,
      });
    }
    const envelope = body as KuaishouEnvelope;
    if (!isKuaishouSuccess(envelope)) throw parseKuaishouError(api, envelope, this.clock.now());
    return envelope;
  }
}
