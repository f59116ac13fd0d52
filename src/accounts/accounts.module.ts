import { Global, Module } from '@nestjs/common';
import { TOKEN_PROVIDER } from '../platforms/ports/accounts.port';
import { CALL_FAILURE_LISTENER } from '../platforms/shared/failure-boundary';
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

@Global()
@Module({
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
    { provide: TOKEN_PROVIDER, useExisting: AccountsTokenProvider },
    { provide: CALL_FAILURE_LISTENER, useExisting: ConnectionsService },
    TokenRefreshJob,
    ReauthDueJob,
    TokenRefreshConsumer,
  ],
  exports: [TOKEN_PROVIDER, CALL_FAILURE_LISTENER, ConnectionsService, MerchantsService, ShopConnectionRepository, StorePairRepository, TokenRefreshService],
})
export class AccountsModule {}
