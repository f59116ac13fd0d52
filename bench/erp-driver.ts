import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';

export interface ErpUpdate {
  skuCode: string;
  onHand: number;
}

/**
 * The benchmark's ERP: the one place that sends stock reports to the service (signed webhook).
 * Before each send it tells the observer what it is about to report, so "physical" on the
 * platforms' side is exactly what the ERP gave.
 */
export class ErpDriver {
  private sequence = 0;
  readonly sent: { at: number; updates: ErpUpdate[] }[] = [];

  constructor(
    private readonly serviceUrl: string,
    /** One of the merchant's ERP credentials: its key id names the merchant. */
    private readonly credential: { keyId: string; secret: string },
    private readonly tellPhysical: (updates: { code: string; onHand: number }[]) => Promise<void>,
  ) {}

  async send(updates: ErpUpdate[]): Promise<void> {
    await this.tellPhysical(updates.map((u) => ({ code: u.skuCode, onHand: u.onHand })));
    const sequence = ++this.sequence;
    await this.post('/webhooks/erp/stock', { updates: updates.map((u) => ({ ...u, sequence })) });
    this.sent.push({ at: Date.now(), updates });
  }

  /**
   * A signed ERP webhook (stock report, shipment…). A delivery the service did not answer (it may be
   * restarting) or answered with a 5xx is sent again with the same id; a 4xx is thrown.
   */
  async post(path: string, payload: unknown): Promise<unknown> {
    const body = JSON.stringify(payload);
    const delivery = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const ts = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(`${this.serviceUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [ERP_HEADERS.keyId]: this.credential.keyId,
            [ERP_HEADERS.timestamp]: String(ts),
            [ERP_HEADERS.delivery]: delivery,
            [ERP_HEADERS.signature]: signErpPayload(this.credential.secret, ts, delivery, body),
          },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status >= 200 && res.status < 300) {
          const text = await res.text();
          return text ? (JSON.parse(text) as unknown) : undefined;
        }
        if (res.status < 500 || attempt >= 10)
          throw new ErpRefusedError(`ERP webhook ${path} refused: ${res.status} ${await res.text()}`);
      } catch (error) {
        if (attempt >= 10 || error instanceof ErpRefusedError) throw error;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

class ErpRefusedError extends Error {}
