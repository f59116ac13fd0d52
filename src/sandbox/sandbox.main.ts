import 'reflect-metadata';
import { startSandbox } from './sandbox-runner';

/** `npm run sandbox`: both emulators on fixed ports, for manual use. */
async function main(): Promise<void> {
  const port = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const pushBase = process.argv.find((a) => a.startsWith('--push='))?.split('=')[1];
  const sandbox = await startSandbox({ host: '127.0.0.1', ports: { kuaishou: port('kuaishou-port', 3101), youzan: port('youzan-port', 3102) }, pushBaseUrl: pushBase, demoData: true });
  console.log(`Kuaishou emulator: ${sandbox.kuaishou.url}   (control API ${sandbox.kuaishou.url}/__sandbox/)`);
  console.log(`Youzan emulator:   ${sandbox.youzan.url}   (control API ${sandbox.youzan.url}/__sandbox/)`);
  console.log(`Demo shops: Kuaishou open_id ${sandbox.demo?.kuaishouShop}, Youzan kdt_id ${sandbox.demo?.youzanShop}; SKU codes ${sandbox.demo?.skuCodes.join(', ')}`);
  console.log(pushBase ? `Pushes go to ${pushBase}/webhooks/{kuaishou,youzan}` : 'Pushes are off (start with --push=http://127.0.0.1:3000 to send them to the service).');
  const stop = async () => {
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
