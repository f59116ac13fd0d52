import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import { InvalidInputException } from '../common/errors/domain.exception';
import { MerchantAccess } from '../auth/policy.decorator';
import { CategorySuggestionService, SuggestAnswer } from './categories/category-suggestion.service';
import { CategoryTreeService } from './categories/category-tree.service';
import {
  DEFAULT_CATEGORY_MAPPINGS,
  CategoryMappingService,
  EffectiveMapping,
} from './mapping/category-mapping.service';
import { MAPPING_SCOPES, MappingScope } from './mapping/category-mapping.entity';
import {
  ImportCategoryMappingDto,
  RefreshCategoryTreesDto,
  SetCategoryMappingDto,
  SuggestCategoryDto,
} from './dto/category-mapping.dto';

interface TreeReadView {
  connectionId: string;
  platform: string;
  readAt: number | null;
  categoryCount: number;
  lastError: string | null;
}

/** Category trees per shop, the Youzan → Kuaishou category mapping, and category suggestions. */
@ApiTags('catalog')
@Controller('api/merchants/:merchantId/catalog')
export class CategoryMappingController {
  constructor(
    private readonly trees: CategoryTreeService,
    private readonly mappings: CategoryMappingService,
    private readonly suggestions: CategorySuggestionService,
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
  ) {}

  @Get('category-trees')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'When each shop’s category tree was last read, and how many categories it has' })
  async reads(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<TreeReadView[]> {
    await this.merchants.get(merchantId);
    return (await this.trees.reads(merchantId)).map(treeReadView);
  }

  @Post('category-trees/refresh')
  @MerchantAccess('staff')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Reads the trees now (one shop, or every active shop of the merchant)' })
  async refresh(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: RefreshCategoryTreesDto,
  ): Promise<TreeReadView[]> {
    await this.merchants.get(merchantId);
    const ids = body.connectionId
      ? [body.connectionId]
      : (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active').map((c) => c.id);
    const out: TreeReadView[] = [];
    for (const id of ids) out.push(treeReadView(await this.trees.refresh(merchantId, id)));
    return out;
  }

  @Get('category-trees/:connectionId')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'The stored tree of one shop, flat, with leaf and open flags' })
  async tree(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
  ) {
    await this.merchants.get(merchantId);
    return (await this.trees.nodes(merchantId, connectionId)).map((n) => ({
      id: n.categoryId,
      parentId: n.parentId,
      name: n.name,
      leaf: n.leaf,
      open: n.open,
    }));
  }

  @Get('category-mappings')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description:
      'Every Youzan category with its Kuaishou leaf (merchant row, else the shipped default), then item rows',
  })
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<EffectiveMapping[]> {
    await this.merchants.get(merchantId);
    return this.mappings.list(merchantId);
  }

  @Put('category-mappings')
  @MerchantAccess('owner')
  @ApiOkResponse({ description: 'Maps a Youzan category or item to a Kuaishou leaf open for the shop' })
  async set(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: SetCategoryMappingDto,
  ): Promise<EffectiveMapping> {
    await this.merchants.get(merchantId);
    return this.mappings.set(merchantId, body);
  }

  @Delete('category-mappings/:scope/:youzanId')
  @MerchantAccess('owner')
  @HttpCode(204)
  async clear(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('scope') scope: string,
    @Param('youzanId') youzanId: string,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    if (!MAPPING_SCOPES.includes(scope as MappingScope)) {
      throw new InvalidInputException('invalid_scope', 'unknown mapping scope', [
        { field: 'scope', messages: [`must be one of ${MAPPING_SCOPES.join(', ')}`] },
      ]);
    }
    await this.mappings.clear(merchantId, scope as MappingScope, youzanId);
  }

  @Get('category-mappings/export.csv')
  @MerchantAccess('staff')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="category-mapping.csv"')
  @ApiProduces('text/csv')
  async exportCsv(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<string> {
    await this.merchants.get(merchantId);
    return this.mappings.exportCsv(merchantId);
  }

  @Post('category-mappings/import')
  @MerchantAccess('owner')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'All rows or none: any bad row answers 400 with row/field messages and changes nothing',
  })
  async importCsv(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: ImportCategoryMappingDto,
  ) {
    await this.merchants.get(merchantId);
    return this.mappings.importCsv(merchantId, body.csv);
  }

  @Post('category-suggestions')
  @MerchantAccess('staff')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Ranked Kuaishou leaves for one item, with a confidence' })
  async suggest(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: SuggestCategoryDto,
  ): Promise<SuggestAnswer> {
    await this.merchants.get(merchantId);
    return this.suggestions.suggest(merchantId, body);
  }

  @Get('category-mappings/:youzanCid/suggestions')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'Ranked Kuaishou leaves for a whole Youzan category, from its name' })
  async suggestForCategory(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('youzanCid') youzanCid: string,
  ): Promise<SuggestAnswer> {
    await this.merchants.get(merchantId);
    const category = DEFAULT_CATEGORY_MAPPINGS.find((d) => d.youzanCid === youzanCid);
    if (!category) {
      throw new InvalidInputException('unknown_youzan_category', 'not a Youzan category', [
        { field: 'youzanCid', messages: [`${youzanCid} is not a Youzan category`] },
      ]);
    }
    return this.suggestions.suggest(merchantId, { title: category.youzanName, youzanCategory: youzanCid, limit: 10 });
  }
}

function treeReadView(r: {
  connectionId: string;
  platform: string;
  readAt: number | null;
  categoryCount: number;
  lastError: string | null;
}): TreeReadView {
  return {
    connectionId: r.connectionId,
    platform: r.platform,
    readAt: r.readAt,
    categoryCount: r.categoryCount,
    lastError: r.lastError,
  };
}
