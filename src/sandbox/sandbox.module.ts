import { Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RunningSandbox, startSandbox } from './sandbox-runner';

/**
 * Sandbox mode (no platform credentials configured): the service starts both emulators itself,
 * with demo app keys and a demo shop each, so a merchant can connect shops in a browser at once.
 */
@Injectable()
export class EmbeddedSandbox implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Sandbox');
  private running?: RunningSandbox;

  constructor(private readonly config: AppConfig) {}

  get current(): RunningSandbox | undefined {
    return this.running;
  }

  async onModuleInit(): Promise<void> {
    const { platforms, http } = this.config;
    if (!platforms.embeddedEmulators) {
      if (platforms.sandbox)
        this.logger.warn(
          `SANDBOX MODE: using emulators at ${platforms.kuaishou.apiBaseUrl} and ${platforms.youzan.apiBaseUrl}`,
        );
      return;
    }
    this.running = await startSandbox({
      host: platforms.sandboxHost,
      ports: platforms.sandboxPorts,
      pushBaseUrl: `http://127.0.0.1:${http.port}`,
      demoData: true,
    });
    this.logger.warn(
      `SANDBOX MODE: no platform credentials configured. Kuaishou emulator at ${this.running.kuaishou.url}, Youzan emulator at ${this.running.youzan.url} ` +
        `(demo app keys, demo shops ${this.running.demo?.kuaishouShop} / ${this.running.demo?.youzanShop}). Set KUAISHOU_* and YOUZAN_* to use the real platforms.`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }
}

@Module({ providers: [EmbeddedSandbox], exports: [EmbeddedSandbox] })
export class SandboxModule {}
