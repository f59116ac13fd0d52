import { DomainException, NotFoundDomainException } from '../common/errors/domain.exception';

export class MerchantNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('MERCHANT_NOT_FOUND', `no merchant ${id}`);
  }
}

export class ConnectionNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('CONNECTION_NOT_FOUND', `no shop connection ${id}`);
  }
}

/** Why a connect attempt ended without storing anything; shown to the merchant as is. */
export class ConnectFailedException extends DomainException {
  constructor(
    code:
      | 'STATE_MISSING'
      | 'STATE_OTHER_SESSION'
      | 'STATE_UNKNOWN'
      | 'STATE_REUSED'
      | 'STATE_EXPIRED'
      | 'STATE_WRONG_PLATFORM'
      | 'GRANT_DENIED'
      | 'CODE_MISSING'
      | 'CODE_REJECTED'
      | 'SCOPES_MISSING'
      | 'SHOP_TAKEN'
      | 'MODE_UNSUPPORTED',
    message: string,
    readonly merchantId?: string,
  ) {
    super(code, message, code === 'SHOP_TAKEN' ? 'conflict' : 'invalid');
  }
}
