import { Body, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { statusOfDomainError } from '../common/http/all-exceptions.filter';
import { ChannelCategoryProperty } from '../platforms/ports/catalog.port';
import { ListingEntity } from './listings/listing.entity';
import { DraftFormValues, listingDraftPage, ShopChoice, sourceItemsPage } from './pages/listing-draft.pages';
import { parseDraftForm } from './pages/draft-form';
import type { Response } from 'express';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import type { UserPrincipal } from '../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../auth/policy.decorator';
import { DomainException, FieldError, InvalidInputException } from '../common/errors/domain.exception';
import { isPlatformError } from '../platforms/platform-error';
import { AppConfig } from '../config/app-config';
import { CategoryTreeService } from './categories/category-tree.service';
import { SetCategoryMappingDto } from './dto/category-mapping.dto';
import { ListingPublishService } from './listings/listing-publish.service';
import { CategoryMappingService } from './mapping/category-mapping.service';
import { catalogPage } from './pages/catalog.pages';
import {
  merchantPageViewer,
  MerchantPageContext,
  MerchantPageRequest,
  MerchantPages,
  MerchantPageView,
  pageNotice,
} from '../auth/merchant-page';

/** The merchant's category mapping page (the JSON API under /api/merchants/:id/catalog serves the same). */
@MerchantPages('catalog')
export class CatalogPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly trees: CategoryTreeService,
    private readonly mappings: CategoryMappingService,
    private readonly listings: ListingPublishService,
    private readonly config: AppConfig,
  ) {}

  @MerchantPageView()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @MerchantPageRequest() page: MerchantPageContext,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const { role } = page.viewer.principal;
    const staff = role === 'owner' || role === 'staff';
    const viewer = { ...page.viewer, mayRefresh: staff, mayPublish: staff };
    const notice = page.notice;
    const [reads, mappings] = [await this.trees.reads(merchantId), await this.mappings.list(merchantId)];
    const listings = await this.listings.list(merchantId);
    const shops = (await this.activeShops(merchantId)).map(choiceOf);
    res
      .type('html')
      .send(catalogPage(merchant, reads, mappings, this.config.platforms.sandbox, viewer, notice, listings, shops));
  }

  /** The source shop's items to draft from, each drafted for the merchant's shop on the other platform. */
  @Get('drafts/new')
  @MerchantAccess('staff')
  @Page()
  async pickSource(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query('sourceConnectionId', new ParseUUIDPipe()) sourceConnectionId: string,
    @Query('error') error: string | undefined,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const shops = await this.activeShops(merchantId);
    const source = shops.find((c) => c.id === sourceConnectionId);
    if (!source) {
      res.redirect(
        303,
        `/merchants/${merchantId}/catalog?error=${encodeURIComponent('Choose one of your connected shops')}`,
      );
      return;
    }
    const target = shops.find((c) => c.platform !== source.platform);
    let items: Awaited<ReturnType<ListingPublishService['sourceItems']>> = [];
    let notice = pageNotice(undefined, error);
    try {
      items = await this.listings.sourceItems(merchantId, source.id);
    } catch (failure) {
      if (!isPlatformError(failure)) throw failure;
      notice = { ok: false, text: `The shop's items could not be read: ${failure.message}` };
    }
    res
      .type('html')
      .send(
        sourceItemsPage(
          merchant,
          choiceOf(source),
          target && choiceOf(target),
          items,
          this.config.platforms.sandbox,
          this.viewerOf(principal),
          notice,
        ),
      );
  }

  @Post('drafts')
  @MerchantAccess('staff')
  async draft(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const [sourceConnectionId, sourceItemId, targetConnectionId] = [
      field('sourceConnectionId'),
      field('sourceItemId'),
      field('targetConnectionId'),
    ];
    const back = `/merchants/${merchantId}/catalog`;
    const bad: FieldError[] = [];
    if (!uuid.test(sourceConnectionId))
      bad.push({ field: 'sourceConnectionId', messages: ['must be one of your shops'] });
    if (!uuid.test(targetConnectionId))
      bad.push({ field: 'targetConnectionId', messages: ['must be one of your shops'] });
    if (!/^\d{1,40}$/.test(sourceItemId))
      bad.push({ field: 'sourceItemId', messages: ['must be a numeric platform item id'] });
    if (bad.length)
      throw new InvalidInputException('INVALID_DRAFT_REQUEST', 'pick an item from one of your shops', bad);
    try {
      const listing = await this.listings.createDraft(merchantId, {
        sourceConnectionId,
        sourceItemId,
        targetConnectionId,
      });
      res.redirect(303, `${back}/listings/${listing.id}?ok=${encodeURIComponent('Draft made and checked')}`);
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const detail = error instanceof DomainException ? error.fields.flatMap((f) => f.messages).join('; ') : '';
      res.redirect(303, `${back}?error=${encodeURIComponent([error.message, detail].filter(Boolean).join(': '))}`);
    }
  }

  /** One listing: its findings, and the form completing a draft (category, title, images, properties). */
  @Get('listings/:listingId')
  @MerchantAccess('staff')
  @Page()
  async listing(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
    @Query('ok') ok: string | undefined,
    @Query('error') error: string | undefined,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const listing = await this.listings.getForMerchant(merchantId, listingId);
    const { properties, propertiesError } = await this.propertiesOf(listing);
    res.type('html').send(
      listingDraftPage(
        merchant,
        listing,
        properties,
        valuesOf(listing),
        this.config.platforms.sandbox,
        this.viewerOf(principal),
        {
          notice: pageNotice(ok, error),
          propertiesError,
        },
      ),
    );
  }

  /** Saves the draft form: bad input comes back as the same page (400) with messages beside the fields. */
  @Post('listings/:listingId/draft')
  @MerchantAccess('staff')
  async saveDraft(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const listing = await this.listings.getForMerchant(merchantId, listingId);
    const categoryChanged =
      typeof body.categoryId === 'string' && body.categoryId.trim() !== (listing.categoryId ?? '');
    const { properties, propertiesError } = categoryChanged
      ? { properties: [], propertiesError: undefined }
      : await this.propertiesOf(listing);
    const parsed = parseDraftForm(body, properties);
    const rerender = (status: number, options: Parameters<typeof listingDraftPage>[6]) =>
      res
        .status(status)
        .type('html')
        .send(
          listingDraftPage(
            merchant,
            listing,
            properties,
            parsed.values,
            this.config.platforms.sandbox,
            this.viewerOf(principal),
            {
              propertiesError,
              ...options,
            },
          ),
        );
    if (parsed.errors.length) {
      rerender(400, { notice: { ok: false, text: 'Some fields need a fix' }, formErrors: parsed.errors });
      return;
    }
    try {
      await this.listings.updateDraft(merchantId, listingId, parsed.changes);
      res.redirect(
        303,
        `/merchants/${merchantId}/catalog/listings/${listingId}?ok=${encodeURIComponent('Draft saved and checked')}`,
      );
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const status = error instanceof DomainException ? statusOfDomainError(error) : 422;
      const formErrors = error instanceof DomainException ? error.fields : [];
      rerender(status, { notice: { ok: false, text: error.message }, formErrors });
    }
  }

  @Post('mappings')
  @MerchantAccess('owner')
  async set(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: SetCategoryMappingDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    await this.answer(
      res,
      merchantId,
      () => this.mappings.set(merchantId, body),
      `Youzan ${body.youzanId} → Kuaishou ${body.kuaishouCategoryId}`,
    );
  }

  @Post('refresh')
  @MerchantAccess('staff')
  async refresh(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Res() res: Response): Promise<void> {
    await this.merchants.get(merchantId);
    const active = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    await this.answer(
      res,
      merchantId,
      async () => {
        for (const c of active) await this.trees.refresh(merchantId, c.id);
      },
      'Category trees read again',
    );
  }

  @Post('listings/:listingId/publish')
  @MerchantAccess('staff')
  async publish(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('listingId', new ParseUUIDPipe()) listingId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    await this.answer(
      res,
      merchantId,
      () => this.listings.requestPublish(merchantId, listingId),
      'Listing queued for publishing',
    );
  }

  private viewerOf(principal: UserPrincipal) {
    return {
      ...merchantPageViewer(principal),
      mayRefresh: principal.role === 'owner' || principal.role === 'staff',
      mayPublish: principal.role === 'owner' || principal.role === 'staff',
    };
  }

  private async activeShops(merchantId: string): Promise<ShopConnectionEntity[]> {
    return (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
  }

  /** The target category's properties; a platform that cannot answer leaves the form without them, saying so. */
  private async propertiesOf(
    listing: ListingEntity,
  ): Promise<{ properties: ChannelCategoryProperty[]; propertiesError?: string }> {
    try {
      return { properties: await this.listings.draftProperties(listing) };
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      return { properties: [], propertiesError: `The category's properties could not be read: ${error.message}` };
    }
  }

  /** Domain and platform refusals come back as a notice on the page; anything else is a real error. */
  private async answer(res: Response, merchantId: string, work: () => Promise<unknown>, done: string): Promise<void> {
    const back = `/merchants/${merchantId}/catalog`;
    try {
      await work();
      res.redirect(303, `${back}?ok=${encodeURIComponent(done)}`);
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const detail = error instanceof DomainException ? error.fields.flatMap((f) => f.messages).join('; ') : '';
      res.redirect(303, `${back}?error=${encodeURIComponent([error.message, detail].filter(Boolean).join(': '))}`);
    }
  }
}

const choiceOf = (c: ShopConnectionEntity): ShopChoice => ({
  id: c.id,
  platform: c.platform,
  name: c.shopName ?? c.shopId,
});

function valuesOf(listing: ListingEntity): DraftFormValues {
  return {
    categoryId: listing.categoryId ?? '',
    title: listing.draft.title,
    imageUrls: listing.draft.imageUrls.join('\n'),
    properties: listing.draft.properties,
  };
}
