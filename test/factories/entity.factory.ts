import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { StorePairEntity } from '@app/accounts/store-pair.entity';
import { ErpCredentialEntity } from '@app/auth/erp-credential.entity';
import { SessionEntity } from '@app/auth/session.entity';
import { UserEntity } from '@app/auth/user.entity';
import { SkuBindingEntity } from '@app/catalog/sku-binding.entity';
import { ChannelAllocationEntity } from '@app/inventory/channel-allocation.entity';
import { StockLedgerEntity } from '@app/inventory/stock-ledger.entity';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { PlatformError, PlatformErrorDetails } from '@app/platforms/platform-error';

/**
 * Small entity factories for unit tests: a valid row with plain defaults, and the test's overrides
 * on top (conventions §18). Each call makes a fresh object, so tests never share mutable fixtures.
 * Times default to 2026-01-01, the ManualClock's start.
 */
export const T0 = Date.UTC(2026, 0, 1);

function make<E extends object>(type: new () => E, defaults: Partial<E>, overrides: Partial<E>): E {
  return Object.assign(new type(), defaults, overrides);
}

export const factory = {
  user: (overrides: Partial<UserEntity> = {}): UserEntity =>
    make(
      UserEntity,
      {
        id: 'user-1',
        email: 'owner@shop.test',
        passwordHash: 'not-a-real-hash',
        role: 'owner',
        merchantId: 'merchant-1',
        disabledAt: null,
        createdAt: T0,
        updatedAt: T0,
      },
      overrides,
    ),

  session: (overrides: Partial<SessionEntity> = {}): SessionEntity =>
    make(
      SessionEntity,
      {
        idHash: 'session-hash',
        userId: 'user-1',
        csrfToken: 'csrf-token',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: T0 + 7 * 24 * 3_600_000,
      },
      overrides,
    ),

  erpCredential: (overrides: Partial<ErpCredentialEntity> = {}): ErpCredentialEntity =>
    make(
      ErpCredentialEntity,
      {
        keyId: 'erp_key1',
        merchantId: 'merchant-1',
        name: 'warehouse ERP',
        secretEnc: 'sealed',
        createdAt: T0,
        expiresAt: null,
        revokedAt: null,
      },
      overrides,
    ),

  connection: (overrides: Partial<ShopConnectionEntity> = {}): ShopConnectionEntity =>
    make(
      ShopConnectionEntity,
      {
        id: 'conn-1',
        merchantId: 'merchant-1',
        platform: 'kuaishou',
        shopId: 'shop-1',
        shopName: 'Test shop',
        scopes: 'merchant_item merchant_order',
        status: 'active',
        statusReason: null,
        accessTokenEnc: 'sealed-access',
        refreshTokenEnc: 'sealed-refresh',
        tokenKeyId: 'local',
        accessTokenExpiresAt: T0 + 48 * 3_600_000,
        refreshTokenExpiresAt: T0 + 180 * 24 * 3_600_000,
        firstGrantedAt: T0,
        lastRefreshedAt: null,
        reauthDueAt: null,
        failureCount: 0,
        lastError: null,
        createdAt: T0,
        updatedAt: T0,
      },
      overrides,
    ),

  storePair: (overrides: Partial<StorePairEntity> = {}): StorePairEntity =>
    make(
      StorePairEntity,
      {
        id: 'pair-1',
        merchantId: 'merchant-1',
        kuaishouConnectionId: 'conn-ks',
        youzanConnectionId: 'conn-yz',
        status: 'active',
        createdAt: T0,
        updatedAt: T0,
      },
      overrides,
    ),

  syncFailure: (overrides: Partial<SyncFailureEntity> = {}): SyncFailureEntity =>
    make(
      SyncFailureEntity,
      {
        id: 'failure-1',
        context: 'inventory',
        operation: 'stock.write',
        platform: 'kuaishou',
        shopRef: 'shop-1',
        entityType: 'sku',
        entityRef: 'sku-1',
        errorCode: 'TEMPORARY',
        reason: 'the platform did not answer',
        platformCode: null,
        platformMessage: null,
        attempts: 1,
        autoRetries: 0,
        nextRetryAt: T0 + 60_000,
        status: 'open',
        replay: { kind: 'inventory.stock-write', data: { merchantSkuId: 'sku-1' } },
        dedupeKey: null,
        createdAt: T0,
        updatedAt: T0,
        lastAttemptAt: T0,
        closedAt: null,
        closedNote: null,
      },
      overrides,
    ),

  ledger: (overrides: Partial<StockLedgerEntity> = {}): StockLedgerEntity =>
    make(
      StockLedgerEntity,
      {
        merchantSkuId: 'sku-1',
        onHand: 0,
        onHandSeq: 0,
        updatedAt: T0,
        writerToken: 0,
        writerHolder: null,
        writerUntil: 0,
        rerun: 0,
      },
      overrides,
    ),

  allocation: (overrides: Partial<ChannelAllocationEntity> = {}): ChannelAllocationEntity =>
    make(
      ChannelAllocationEntity,
      {
        bindingId: 'binding-1',
        merchantSkuId: 'sku-1',
        platform: 'kuaishou',
        allotted: 10,
        target: 10,
        established: true,
        soldRecent: 0,
        demandMilli: 0,
        lastSaleAt: null,
        lastGrantAt: null,
        updatedAt: T0,
        heardSold: 0,
        pinned: false,
        obsAllotted: null,
        obsVisible: null,
        obsHeard: null,
        obsReadAt: null,
        unwritable: null,
      },
      overrides,
    ),

  binding: (overrides: Partial<SkuBindingEntity> = {}): SkuBindingEntity =>
    make(
      SkuBindingEntity,
      {
        id: 'binding-1',
        merchantId: 'merchant-1',
        merchantSkuId: 'sku-1',
        platform: 'kuaishou',
        connectionId: 'conn-1',
        platformItemId: 'item-1',
        platformSkuId: 'psku-1',
        outerSkuId: null,
        boundBy: 'manual',
        createdAt: T0,
      },
      overrides,
    ),

  platformError: (overrides: Partial<PlatformErrorDetails> = {}): PlatformError =>
    new PlatformError({ platform: 'kuaishou', api: 'open.test', code: 'TEMPORARY', message: 'failed', ...overrides }),
};
