import { INestApplication } from '@nestjs/common';
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

/** Builds the HTTP application exactly as `npm start` runs it; tests use it too. */
export async function createApp(config: AppConfigShape, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
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
