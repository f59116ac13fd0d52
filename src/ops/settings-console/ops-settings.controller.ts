import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Admin, CurrentPrincipal, Ops } from '@app/auth/policy.decorator';
import { UserPrincipal } from '@app/auth/principal';
import { OpsSettingChangeView, OpsSettingsPage, OpsSettingView } from './dto/ops-settings.views';
import { UpdateOpsSettingsDto } from './dto/update-ops-settings.dto';
import { OpsSettingsService } from '../settings/ops-settings.service';

@ApiTags('ops')
@Controller('ops/settings')
export class OpsSettingsController {
  constructor(private readonly settings: OpsSettingsService) {}

  @Get()
  @Ops()
  @ApiOkResponse({ type: OpsSettingsPage })
  async get(): Promise<OpsSettingsPage> {
    const [settings, changes] = await Promise.all([this.settings.list(), this.settings.recentChanges()]);
    return { settings: settings.map(OpsSettingView.of), changes: changes.map(OpsSettingChangeView.of) };
  }

  @Put()
  @Admin()
  @ApiOkResponse({
    type: OpsSettingsPage,
    description: 'Applies on every instance within 5 seconds; each change is audited.',
  })
  async update(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: UpdateOpsSettingsDto,
  ): Promise<OpsSettingsPage> {
    await this.settings.update({ userId: principal.userId, email: principal.email }, { ...body });
    return this.get();
  }
}
