import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MerchantDirectoryBinding } from '../auth/merchant-directory.port';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { RetentionModule } from '../ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../ops/retention/retention.registry';
import { CallFailureListenerBinding, PlatformsModule, TokenProviderBinding } from '../platforms/platforms.module';
import { AccountsTokenProvider } from './accounts-token.provider';
import { ConnectController } from './connect.controller';
import { ConnectService } from './connect.service';
import { ConnectionsService } from './connections.service';
import { TokenRefreshConsumer } from './consumers/token-refresh.consumer';
import { ReauthDueJob } from './jobs/reauth-due.job';
import { TokenRefreshJob } from './jobs/token-refresh.job';
import { MerchantPagesController } from './merchant-pages.controller';
import { MerchantRepository } from './merchant.repository';
import { MerchantsController } from './merchants.controller';
import { MerchantsService } from './merchants.service';
import { OAuthStateRepository } from './oauth-state.repository';
import { ShopConnectionRepository } from './shop-connection.repository';
import { StorePairRepository } from './store-pair.repository';
import { TokenRefreshService } from './token-refresh.service';
import { TokenVault } from './token-vault';

@Module({
  imports: [AuthModule, PlatformsModule, SyncFailuresModule, RetentionModule],
  controllers: [ConnectController, MerchantsController, MerchantPagesController],
  providers: [
    MerchantRepository,
    ShopConnectionRepository,
    StorePairRepository,
    OAuthStateRepository,
    TokenVault,
    MerchantsService,
    ConnectionsService,
    ConnectService,
    TokenRefreshService,
    AccountsTokenProvider,
    TokenRefreshJob,
    ReauthDueJob,
    TokenRefreshConsumer,
  ],
  exports: [ConnectionsService, MerchantsService],
})
export class AccountsModule implements OnModuleInit {
  constructor(
    private readonly merchantDirectory: MerchantDirectoryBinding,
    private readonly merchants: MerchantsService,
    private readonly tokenProvider: TokenProviderBinding,
    private readonly tokens: AccountsTokenProvider,
    private readonly callFailures: CallFailureListenerBinding,
    private readonly connections: ConnectionsService,
    private readonly retention: RetentionRegistry,
    private readonly oauthStates: OAuthStateRepository,
  ) {}

  /** Accounts implements two ports of lower contexts: auth's merchant directory, the platforms' token provider and the failure boundary's listener. */
  onModuleInit(): void {
    this.merchantDirectory.bind(this.merchants);
    this.tokenProvider.bind(this.tokens);
    this.callFailures.bind(this.connections);
    this.retention.register({
      name: 'oauthStates',
      purge: (now, s) => this.oauthStates.deleteExpiredBefore(retentionCutoff(now, s.retentionOauthStatesDays)),
    });
  }
}
