import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import { CreateListingDto, EditListingDto, ImportListingsDto, ImportReportView, ListingView } from './dto/listing.dto';
import { ListingPublishService } from './listings/listing-publish.service';

@ApiTags('catalog')
@Controller('api/merchants/:merchantId/listings')
export class ListingsController {
  constructor(
    private readonly listings: ListingPublishService,
    private readonly merchants: MerchantsService,
  ) {}

  @Post()
  @MerchantAccess('staff')
  @ApiCreatedResponse({
    type: ListingView,
    description: 'A draft from a source item on the other platform, validated at once (findings with fix hints).',
  })
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateListingDto,
  ): Promise<ListingView> {
    await this.merchants.get(merchantId);
    return ListingView.of(await this.listings.createDraft(merchantId, body));
  }

  @Get()
  @MerchantAccess('staff')
  @ApiOkResponse({ type: [ListingView] })
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ListingView[]> {
    await this.merchants.get(merchantId);
    return (await this.listings.list(merchantId)).map(ListingView.of);
  }

  @Post('import')
  @MerchantAccess('staff')
  @HttpCode(200)
  @ApiOkResponse({
    type: ImportReportView,
    description:
      'Over a source shop: which items would be (dry run, the default) or were bound, created, or need a decision.',
  })
  async import(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: ImportListingsDto,
  ): Promise<ImportReportView> {
    await this.merchants.get(merchantId);
    return this.listings.importCatalog(merchantId, { ...body, dryRun: body.dryRun ?? true });
  }

  @Get(':listingId')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: ListingView })
  async get(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
  ): Promise<ListingView> {
    return ListingView.of(await this.listings.getForMerchant(merchantId, listingId));
  }

  @Patch(':listingId')
  @MerchantAccess('staff')
  @ApiOkResponse({
    type: ListingView,
    description:
      'Edits the published item (title, description, images, properties, SKU specs and prices) after the same ' +
      'validation, prices through the parity guard; ' +
      '422 with the findings, or with the explanation of a platform refusal (Kuaishou 3401).',
  })
  async edit(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
    @Body() body: EditListingDto,
  ): Promise<ListingView> {
    return ListingView.of(await this.listings.editPublished(merchantId, listingId, body));
  }

  @Post(':listingId/publish')
  @MerchantAccess('staff')
  @HttpCode(202)
  @ApiOkResponse({
    type: ListingView,
    description: 'Validates again and queues the listing for publishing; 422 with the findings when it has errors.',
  })
  async publish(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
  ): Promise<ListingView> {
    return ListingView.of(await this.listings.requestPublish(merchantId, listingId));
  }
}
