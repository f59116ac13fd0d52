import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConnectionsService } from './connections.service';
import { ConnectionView, MerchantOverviewView, MerchantView, StorePairView } from './dto/accounts.views';
import { CreateMerchantDto } from './dto/create-merchant.dto';
import { CreateStorePairDto } from './dto/create-store-pair.dto';
import { MerchantsService } from './merchants.service';
import { TokenRefreshService } from './token-refresh.service';
import { Admin, CurrentPrincipal, MerchantAccess, SignedIn } from '../auth/policy.decorator';
import type { UserPrincipal } from '../auth/principal';

@ApiTags('accounts')
@Controller('api/merchants')
export class MerchantsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly refresher: TokenRefreshService,
  ) {}

  @Post()
  @Admin()
  @ApiCreatedResponse({ type: MerchantView })
  async create(@Body() body: CreateMerchantDto): Promise<MerchantView> {
    return MerchantView.of(await this.merchants.create(body.name));
  }

  @Get()
  @SignedIn()
  @ApiOkResponse({ type: [MerchantView], description: 'Operators see every merchant; a merchant user sees their own.' })
  async list(@CurrentPrincipal() principal: UserPrincipal): Promise<MerchantView[]> {
    return (await this.merchants.listVisibleTo(principal.merchantId)).map(MerchantView.of);
  }

  @Get(':merchantId')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: MerchantOverviewView })
  async overview(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<MerchantOverviewView> {
    return MerchantOverviewView.of(await this.merchants.overview(merchantId));
  }

  @Get(':merchantId/connections')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: [ConnectionView] })
  async connectionsOf(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ConnectionView[]> {
    await this.merchants.get(merchantId);
    return (await this.connections.listByMerchant(merchantId)).map(ConnectionView.of);
  }

  @Delete(':merchantId/connections/:connectionId')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: ConnectionView, description: 'Unbound: syncing stops, history is kept, tokens are wiped.' })
  async unbind(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
  ): Promise<ConnectionView> {
    return ConnectionView.of(await this.connections.unbind(merchantId, connectionId));
  }

  @Post(':merchantId/connections/:connectionId/refresh')
  @MerchantAccess('staff', { operators: 'write' })
  @HttpCode(200)
  @ApiOkResponse({ type: ConnectionView, description: 'Refreshes the tokens now (ops tool).' })
  async refresh(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
  ): Promise<ConnectionView> {
    await this.connections.getOwned(merchantId, connectionId);
    await this.refresher.refresh(connectionId, { force: true });
    return ConnectionView.of(await this.connections.get(connectionId));
  }

  @Post(':merchantId/store-pairs')
  @MerchantAccess('owner')
  @ApiCreatedResponse({ type: StorePairView })
  async pair(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateStorePairDto,
  ): Promise<StorePairView> {
    await this.merchants.get(merchantId);
    return StorePairView.of(
      await this.connections.pair(merchantId, body.kuaishouConnectionId, body.youzanConnectionId),
    );
  }
}
