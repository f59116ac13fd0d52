import { Webhook } from 'standardwebhooks';
import { unitConfig } from '@test/support/unit/unit-config';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { OutboundDeliveryRepository } from './outbound-delivery.repository';
import { WebhookSubscriptionNotFoundException, WebhookUrlInvalidException } from './outbound-webhooks.errors';
import { ROTATION_OVERLAP_MS, WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { signDelivery } from './webhook-signer';

describe(WebhookSubscriptionsService.name, () => {
  let t: TestService<WebhookSubscriptionsService>;
  let rows: Map<string, WebhookSubscriptionEntity>;

  async function setup(allowPrivateUrls = false) {
    const base = unitConfig();
    t = await newTestService(WebhookSubscriptionsService, {
      config: { ...base, webhooks: { ...base.webhooks, allowPrivateUrls } },
    });
    rows = new Map();
    const repo = t.mocks.get(WebhookSubscriptionRepository);
    repo.save.mockImplementation(async (s) => void rows.set(s.id, structuredClone(s)));
    repo.findById.mockImplementation(async (id) => structuredClone(rows.get(id)) ?? null);
  }

  beforeEach(() => setup());

  it('issues a whsec_ secret once and keeps only its sealed form', async () => {
    const { subscription, secret } = await t.sut.create('m-1', {
      url: 'https://erp.example.com/hooks',
      eventTypes: ['order.paid', 'order.paid'],
    });
    expect(secret).toMatch(/^whsec_/);
    const stored = rows.get(subscription.id)!;
    expect(stored.eventTypes).toEqual(['order.paid']);
    expect(stored.secretEnc).not.toContain(secret.slice(6));
    expect(t.sut.signingSecrets(stored)).toEqual([secret]);
  });

  it('refuses a private URL with a field message unless private URLs are allowed', async () => {
    await expect(t.sut.create('m-1', { url: 'http://192.168.1.10/hook', eventTypes: ['order.paid'] })).rejects.toThrow(
      WebhookUrlInvalidException,
    );
    await setup(true);
    await expect(
      t.sut.create('m-1', { url: 'http://192.168.1.10/hook', eventTypes: ['order.paid'] }),
    ).resolves.toBeDefined();
  });

  it('after a rotation signs with both secrets for 24 h, then with the new one only', async () => {
    const { subscription, secret: old } = await t.sut.create('m-1', {
      url: 'https://erp.example.com/hooks',
      eventTypes: ['order.paid'],
    });
    const { secret: next } = await t.sut.rotateForMerchant('m-1', subscription.id);
    const body = '{"type":"order.paid"}';
    const sign = () => signDelivery(t.sut.signingSecrets(rows.get(subscription.id)!), 'msg-1', new Date(), body);

    const during = sign();
    expect(() => new Webhook(next).verify(body, { ...during })).not.toThrow();
    expect(() => new Webhook(old).verify(body, { ...during })).not.toThrow();

    t.clock.advance(ROTATION_OVERLAP_MS + 1);
    expect(t.sut.signingSecrets(rows.get(subscription.id)!)).toEqual([next]);
  });

  it("answers 404 for another merchant's subscription and for a deleted one", async () => {
    const { subscription } = await t.sut.create('m-1', {
      url: 'https://erp.example.com/h',
      eventTypes: ['order.paid'],
    });
    await expect(t.sut.rotateForMerchant('m-2', subscription.id)).rejects.toThrow(WebhookSubscriptionNotFoundException);
    await expect(t.sut.deleteForMerchant('m-2', subscription.id)).rejects.toThrow(WebhookSubscriptionNotFoundException);
    await t.sut.deleteForMerchant('m-1', subscription.id);
    expect(t.mocks.get(OutboundDeliveryRepository).cancelPendingOf).toHaveBeenCalledWith(
      subscription.id,
      t.clock.now(),
    );
    await expect(t.sut.getForMerchant('m-1', subscription.id)).rejects.toThrow(WebhookSubscriptionNotFoundException);
  });
});
