import { Injectable } from '@nestjs/common';
import { PortBinding } from '../common/port-binding';

export interface MerchantSummary {
  id: string;
  name: string;
  createdAt: number;
}

export const MERCHANT_DIRECTORY = Symbol('MERCHANT_DIRECTORY');

/** What access control needs to know of merchants (implemented by the accounts context). */
export interface MerchantDirectory {
  /** Throws the merchant-not-found domain error (404) when there is none. */
  get(id: string): Promise<MerchantSummary>;
  create(name: string): Promise<MerchantSummary>;
  list(): Promise<MerchantSummary[]>;
  /** Locks the merchant until the transaction ends: serializes changes to its users (the last-owner check). */
  lock(id: string): Promise<void>;
}

/** Auth's end of the port: the accounts module binds its implementation when it starts. */
@Injectable()
export class MerchantDirectoryBinding extends PortBinding<MerchantDirectory> implements MerchantDirectory {
  protected readonly portName = 'the merchant directory';

  get(id: string): Promise<MerchantSummary> {
    return this.impl().get(id);
  }

  create(name: string): Promise<MerchantSummary> {
    return this.impl().create(name);
  }

  list(): Promise<MerchantSummary[]> {
    return this.impl().list();
  }

  lock(id: string): Promise<void> {
    return this.impl().lock(id);
  }
}
