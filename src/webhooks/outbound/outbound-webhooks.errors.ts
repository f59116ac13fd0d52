import { InvalidInputException, NotFoundDomainException } from '@app/common/errors/domain.exception';

export class WebhookSubscriptionNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `no webhook subscription ${id}`);
  }
}

export class OutboundDeliveryNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('WEBHOOK_DELIVERY_NOT_FOUND', `no webhook delivery ${id}`);
  }
}

export class WebhookUrlInvalidException extends InvalidInputException {
  constructor(reason: string) {
    super('WEBHOOK_URL_REFUSED', `url ${reason}`, [{ field: 'url', messages: [`url ${reason}`] }]);
  }
}
