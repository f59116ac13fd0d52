import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { tokenRefreshRequestedTopic } from '@app/messaging/contracts/token-refresh-requested/token-refresh-requested.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { isPlatformError } from '@app/platforms/platform-error';
import { TOKEN_REFRESH_REPLAY } from '../connections.service';
import { REFRESH_MARGIN_MS, TokenRefreshService } from '../token-refresh.service';

@Injectable()
export class TokenRefreshConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly refresher: TokenRefreshService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      tokenRefreshRequestedTopic,
      'accounts.token-refresh',
      async ({ connectionId }) => {
        try {
          await this.refresher.refresh(connectionId, { marginMs: REFRESH_MARGIN_MS });
        } catch (error) {
          // Already recorded on the connection (needs_reauth or a failure to retry); nothing to redeliver.
          if (!isPlatformError(error)) throw error;
        }
      },
      { transactional: false },
    );
    this.failures.registerReplayHandler(TOKEN_REFRESH_REPLAY, async (data) => {
      await this.refresher.refresh((data as { connectionId: string }).connectionId, { force: true });
    });
  }
}
