import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { OAuthStateEntity } from '@app/accounts/oauth-state.entity';
import { Db } from '@app/database/db';
import { StockDriftEntity } from '@app/inventory/stock-drift.entity';
import { StockWriteOpEntity } from '@app/inventory/stock-write-op.entity';
import { PlatformPushEntity } from '@app/orders/platform-push.entity';
import { WebhookDeliveryEntity } from '@app/webhooks/webhook-delivery.entity';
import { SyncFailureEntity } from '../failures/sync-failure.entity';

/** Deletes of rows past their retention; each returns how many went. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Db) {}

  private async affected(run: Promise<{ affected?: number | null }>): Promise<number> {
    return (await run).affected ?? 0;
  }

  oauthStatesExpiredBefore(cutoff: number): Promise<number> {
    return this.affected(this.db.manager.getRepository(OAuthStateEntity).delete({ expiresAt: LessThan(cutoff) }));
  }

  pushesReceivedBefore(cutoff: number): Promise<number> {
    return this.affected(this.db.manager.getRepository(PlatformPushEntity).delete({ receivedAt: LessThan(cutoff) }));
  }

  webhookDeliveriesReceivedBefore(cutoff: number): Promise<number> {
    return this.affected(this.db.manager.getRepository(WebhookDeliveryEntity).delete({ receivedAt: LessThan(cutoff) }));
  }

  driftRecordedBefore(cutoff: number): Promise<number> {
    return this.affected(this.db.manager.getRepository(StockDriftEntity).delete({ createdAt: LessThan(cutoff) }));
  }

  /** Only settled writes: a pending or unknown one is still needed to settle its outcome. */
  writeOpsSettledBefore(cutoff: number): Promise<number> {
    return this.affected(
      this.db.manager
        .getRepository(StockWriteOpEntity)
        .delete({ status: In(['applied', 'not_applied', 'reconciled']), settledAt: LessThan(cutoff) }),
    );
  }

  /** Only closed failures (resolved or dismissed); open ones stay whatever their age. */
  failuresClosedBefore(cutoff: number): Promise<number> {
    return this.affected(
      this.db.manager
        .getRepository(SyncFailureEntity)
        .delete({ status: In(['resolved', 'dismissed']), closedAt: LessThan(cutoff) }),
    );
  }
}
