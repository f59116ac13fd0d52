import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiTokensService } from './auth/api-tokens.service';
import { docsAccessMiddleware } from './auth/docs-access.middleware';
import { SessionsService } from './auth/sessions.service';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { answerPlatformError } from './platforms/platform-error.http';
import { useBodyParsing } from './common/http/body-parsing';
import { correlationMiddleware } from './common/http/logging';
import { createValidationPipe } from './common/http/validation';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfigShape } from './config/app-config';

/** Nest's start-up chatter (~75 route-mapping and module lines) goes to the debug level; the rest as it was. */
const START_UP_CONTEXTS = new Set([
  'RoutesResolver',
  'RouterExplorer',
  'InstanceLoader',
  'NestFactory',
  'NestApplication',
]);
export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: Logger) {}
  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) this.inner.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal(message, ...rest);
  }
}

/** Builds the HTTP application exactly as `npm start` runs it; tests use it too. */
export async function createApp(config: AppConfigShape, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  app.use(correlationMiddleware);
  useBodyParsing(app, { maxBytes: config.http.bodyLimitBytes, maxDepth: config.http.maxBodyDepth });
  // Off by default: with it on, any client could choose its own address with X-Forwarded-For.
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe(config.http.maxBodyDepth));
  app.useGlobalFilters(new AllExceptionsFilter([answerPlatformError]));
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('kwaizan-sync')
    .setDescription('Keeps a merchant’s Kuaishou and Youzan shops in sync: accounts, SKU bindings, stock, orders, ops.')
    .setVersion('1')
    .build();
  app.use(['/docs', '/docs-json'], docsAccessMiddleware(app.get(SessionsService), app.get(ApiTokensService)));
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
