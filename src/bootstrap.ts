import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiTokensService } from './auth/api-tokens.service';
import { docsAccessMiddleware } from './auth/docs-access.middleware';
import { SessionsService } from './auth/sessions.service';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { correlationMiddleware } from './common/http/logging';
import { createValidationPipe } from './common/http/validation';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfigShape } from './config/app-config';

/** Builds the HTTP application exactly as `npm start` runs it; tests use it too. */
export async function createApp(config: AppConfigShape, options: AppModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), { bufferLogs: true, rawBody: true });
  // Kuaishou pushes are text/plain (Base64 ciphertext); signatures need the exact bytes of every body.
  app.useBodyParser('text', { type: 'text/*', limit: '1mb' });
  app.useLogger(app.get(Logger));
  app.use(correlationMiddleware);
  app.set('trust proxy', true);
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('kwaizan-sync')
    .setDescription('Keeps a merchant’s Kuaishou and Youzan shops in sync: accounts, catalog, prices, stock, orders, ops.')
    .setVersion('1')
    .build();
  app.use(['/docs', '/docs-json'], docsAccessMiddleware(app.get(SessionsService), app.get(ApiTokensService)));
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
