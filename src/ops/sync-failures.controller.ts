import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DismissFailureDto } from './failures/dto/dismiss-failure.dto';
import { ListFailuresQueryDto } from './failures/dto/list-failures.query.dto';
import { SyncFailurePage, SyncFailureView } from './failures/dto/sync-failure.view';
import { SyncFailureService } from './failures/sync-failure.service';
import { Ops } from '../auth/policy.decorator';

@ApiTags('ops')
@Ops()
@Controller('ops/failures')
export class SyncFailuresController {
  constructor(private readonly failures: SyncFailureService) {}

  @Get()
  @ApiOkResponse({ type: SyncFailurePage })
  async list(@Query() query: ListFailuresQueryDto): Promise<SyncFailurePage> {
    const [items, total] = await this.failures.list(
      {
        status: query.status,
        context: query.context,
        platform: query.platform,
        shopRef: query.shopRef,
        errorCode: query.errorCode,
        entityRef: query.entityRef,
        search: query.q,
      },
      query.page,
      query.pageSize,
    );
    return { items: items.map(SyncFailureView.of), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @ApiOkResponse({ type: SyncFailureView })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<SyncFailureView> {
    return SyncFailureView.of(await this.failures.get(id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({
    type: SyncFailureView,
    description: 'The record after the retry: resolved, or open with the new error.',
  })
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<SyncFailureView> {
    return SyncFailureView.of(await this.failures.retry(id));
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOkResponse({ type: SyncFailureView })
  async dismiss(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DismissFailureDto,
  ): Promise<SyncFailureView> {
    return SyncFailureView.of(await this.failures.dismiss(id, body.note));
  }
}
