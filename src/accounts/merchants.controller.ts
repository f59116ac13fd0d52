import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConnectionsService } from './connections.service';
import { ConnectionView, MerchantOverviewView, MerchantView, StorePairView } from './dto/accounts.views';
import { CreateMerchantDto } from './dto/create-merchant.dto';
import { CreateStorePairDto } from './dto/create-store-pair.dto';
import { MerchantsService } from './merchants.service';
import { TokenRefreshService } from './token-refresh.service';

@ApiTags('accounts')
@Controller('api/merchants')
export class MerchantsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly refresher: TokenRefreshService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: MerchantView })
  async create(@Body() body: CreateMerchantDto): Promise<MerchantView> {
    return MerchantView.of(await this.merchants.create(body.name));
  }

  @Get()
  @ApiOkResponse({ type: [MerchantView] })
  async list(): Promise<MerchantView[]> {
    return (await this.merchants.list()).map(MerchantView.of);
  }

  @Get(':merchantId')
  @ApiOkResponse({ type: MerchantOverviewView })
  async overview(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<MerchantOverviewView> {
    return MerchantOverviewView.of(await this.merchants.overview(merchantId));
  }

  @Get(':merchantId/connections')
  @ApiOkResponse({ type: [ConnectionView] })
  async connectionsOf(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ConnectionView[]> {
    await this.merchants.get(merchantId);
    return (await this.connections.listByMerchant(merchantId)).map(ConnectionView.of);
  }

  @Delete(':merchantId/connections/:connectionId')
  @ApiOkResponse({ type: ConnectionView, description: 'Unbound: syncing stops, history is kept, tokens are wiped.' })
  async unbind(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Param('connectionId', new ParseUUIDPipe()) connectionId: string): Promise<ConnectionView> {
    return ConnectionView.of(await this.connections.unbind(merchantId, connectionId));
  }

  @Post(':merchantId/connections/:connectionId/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: ConnectionView, description: 'Refreshes the tokens now (ops tool).' })
  async refresh(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Param('connectionId', new ParseUUIDPipe()) connectionId: string): Promise<ConnectionView> {
    const connection = await this.connections.get(connectionId);
    if (connection.merchantId !== merchantId) await this.merchants.get(merchantId);
    await this.refresher.refresh(connectionId, { force: true });
    return ConnectionView.of(await this.connections.get(connectionId));
  }

  @Post(':merchantId/store-pairs')
  @ApiCreatedResponse({ type: StorePairView })
  async pair(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Body() body: CreateStorePairDto): Promise<StorePairView> {
    await this.merchants.get(merchantId);
    return StorePairView.of(await this.connections.pair(merchantId, body.kuaishouConnectionId, body.youzanConnectionId));
  }
}
