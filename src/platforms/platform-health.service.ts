import { Inject, Injectable } from '@nestjs/common';
import { Platform } from './ports/platform.types';
import { GatewayUsage, PlatformGateway } from './shared/platform-gateway';

export const GATEWAYS = Symbol('GATEWAYS');
export type Gateways = Record<Platform, PlatformGateway>;

/** What this instance's platform gateways know right now: breaker states and calls against quota. */
@Injectable()
export class PlatformHealthService {
  constructor(@Inject(GATEWAYS) private readonly gateways: Gateways) {}

  snapshot(): Record<Platform, GatewayUsage> {
    return {
      kuaishou: this.gateways.kuaishou.usage(),
      youzan: this.gateways.youzan.usage(),
    };
  }
}
