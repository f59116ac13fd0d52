import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Public } from '@app/auth/policy.decorator';
import type { Principal } from '@app/auth/principal';
import { isOperator } from '@app/auth/user.entity';
import { HealthReport, HealthService } from './health.service';

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      'Database and event bus answer (platform breakers may show as degraded). The checks are listed for ops and admin only.',
  })
  @ApiServiceUnavailableResponse({ description: 'A critical dependency is down.' })
  async check(
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HealthReport | Pick<HealthReport, 'status'>> {
    const report = await this.health.report();
    res.status(report.status === 'down' ? 503 : 200);
    return principal && principal.kind !== 'erp' && isOperator(principal.role) ? report : { status: report.status };
  }
}
