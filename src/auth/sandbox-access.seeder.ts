import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

export const SANDBOX_OWNER_EMAIL = 'demo@kwaizan.local';
export const SANDBOX_OPS_EMAIL = 'ops@kwaizan.local';

/**
 * Sandbox mode only: the first start creates a demo merchant with an owner and an ops user and
 * prints their passwords once, so `npm start` works with nothing configured. Only hashes are kept.
 */
@Injectable()
export class SandboxAccessSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly usersRepo: UsersRepository,
    @Inject(MERCHANT_DIRECTORY) private readonly merchants: MerchantDirectory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.platforms.sandbox || this.config.env === 'test') return;
    if ((await this.usersRepo.countOperators()) > 0) return;
    const merchant = await this.merchants.create('演示商家 Demo merchant');
    const ownerPassword = randomBytes(9).toString('base64url');
    const opsPassword = randomBytes(9).toString('base64url');
    await this.users.create({
      email: SANDBOX_OWNER_EMAIL,
      password: ownerPassword,
      role: 'owner',
      merchantId: merchant.id,
    });
    await this.users.create({ email: SANDBOX_OPS_EMAIL, password: opsPassword, role: 'ops' });
    this.logger.warn(
      `SANDBOX SIGN-IN (shown once, only hashes are stored): merchant owner ${SANDBOX_OWNER_EMAIL} / ${ownerPassword} (merchant ${merchant.id}); ` +
        `ops ${SANDBOX_OPS_EMAIL} / ${opsPassword}. Sign in at ${this.config.http.publicBaseUrl}/sign-in`,
    );
  }
}
