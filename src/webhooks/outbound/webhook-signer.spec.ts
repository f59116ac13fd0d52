import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newSigningSecret, signDelivery } from './webhook-signer';

describe('webhook signer', () => {
  const body = JSON.stringify({ type: 'order.paid', data: { orderId: 'o-1' } });

  it('signs so that the Standard Webhooks verifier accepts the delivery', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signDelivery([secret], 'msg-1', new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('during a rotation, a verifier with either the new or the old secret accepts it', () => {
    const [next, old] = [newSigningSecret(), newSigningSecret()];
    const headers = signDelivery([next, old], 'msg-2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(old).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('a changed body does not verify', () => {
    const secret = newSigningSecret();
    const headers = signDelivery([secret], 'msg-3', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('o-1', 'o-2'), { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });
});
