import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, AppConfigShape } from './app-config';

@Global()
@Module({})
export class ConfigModule {
  /** The configuration is loaded (and validated) once before the app is built, then shared. */
  static register(config: AppConfigShape): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
