import { Controller, HttpCode, Logger, Param, ParseEnumPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidInputException } from '../common/errors/domain.exception';
import { PushIntakeService } from '../orders/push-intake.service';
import { Platform } from '../platforms/ports/platform.types';
import { PushRejectedError } from '../platforms/ports/push.port';
import { Public } from '../auth/policy.decorator';

const PLATFORM = { kuaishou: 'kuaishou', youzan: 'youzan' } as const;

/** Push receivers: the body is verified and stored before the acknowledgement goes out. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class PlatformWebhooksController {
  private readonly logger = new Logger(PlatformWebhooksController.name);

  constructor(private readonly intake: PushIntakeService) {}

  @Post(':platform')
  @HttpCode(200)
  async receive(
    @Param('platform', new ParseEnumPipe(PLATFORM)) platform: Platform,
    @Req() req: RawBodyRequest<Request>,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const ack = await this.intake.receive(platform, {
        rawBody: req.rawBody ?? Buffer.alloc(0),
        headers: req.headers,
      });
      res.status(200).type('application/json').send(ack);
    } catch (error) {
      if (!(error instanceof PushRejectedError)) throw error;
      // One answer whatever the reason: distinct ones (padding, JSON, app) would make a decryption oracle.
      this.logger.warn({ platform, reason: error.message }, 'push rejected');
      throw new InvalidInputException('PUSH_REJECTED', 'The push was rejected.');
    }
  }
}
