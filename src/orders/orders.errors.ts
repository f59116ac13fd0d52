import { ConflictDomainException, NotFoundDomainException } from '../common/errors/domain.exception';

export class OrderNotFoundException extends NotFoundDomainException {
  constructor(id: string) {
    super('ORDER_NOT_FOUND', `No order of this merchant has the id ${id}`);
  }
}

export class OrderIdAmbiguousException extends ConflictDomainException {
  constructor(id: string, count: number) {
    super('ORDER_ID_AMBIGUOUS', `${count} orders of this merchant carry the id ${id}; use the internal order id`);
  }
}

export class ErpOrderIdTakenException extends ConflictDomainException {
  constructor(erpOrderId: string) {
    super('ERP_ORDER_ID_TAKEN', `The ERP order id ${erpOrderId} is already set on another order of this merchant`);
  }
}
