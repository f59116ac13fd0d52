import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { isPlatformError } from '../platforms/platform-error';
import { AppConfig } from '../config/app-config';
import { CategoryTreeService } from './categories/category-tree.service';
import { SetCategoryMappingDto } from './dto/category-mapping.dto';
import { ListingPublishService } from './listings/listing-publish.service';
import { CategoryMappingService } from './mapping/category-mapping.service';
import { catalogPage } from './pages/catalog.pages';
import { MerchantPageContext, MerchantPageRequest, MerchantPages, MerchantPageView } from '../auth/merchant-page';

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
    res
      .type('html')
      .send(catalogPage(merchant, reads, mappings, this.config.platforms.sandbox, viewer, notice, listings));
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
