import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kwaizan-sync cannot start. ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  console.log(`kwaizan-sync listening on ${config.http.publicBaseUrl} (docs at ${config.http.publicBaseUrl}/docs)`);
}

void main();
