import 'reflect-metadata';
import { parseSandboxCli, SANDBOX_CLI_USAGE } from './sandbox-cli.options';
import { startSandbox } from './sandbox-runner';

/** `npm run sandbox`: both emulators with demo data, for manual use (flags: see SANDBOX_CLI_USAGE). */
async function main(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service; the names are the service's own
  const options = parseSandboxCli(process.argv.slice(2), process.env);
  if ('help' in options) {
    console.log(SANDBOX_CLI_USAGE);
    return;
  }
  const sandbox = await startSandbox({ ...options, demoData: true });
  const push = options.pushBaseUrl;
  console.log(`Kuaishou emulator: ${sandbox.kuaishou.url}   (control API ${sandbox.kuaishou.url}/__sandbox/)`);
  console.log(`Youzan emulator:   ${sandbox.youzan.url}   (control API ${sandbox.youzan.url}/__sandbox/)`);
  const demo = sandbox.demo;
  const skuCodes = demo?.skuCodes.join(', ');
  console.log(
    `Demo shops: Kuaishou open_id ${demo?.kuaishouShop}, Youzan kdt_id ${demo?.youzanShop}; SKU codes ${skuCodes}`,
  );
  const pushOff = 'Pushes are off (npm run sandbox -- --push=http://127.0.0.1:3000 sends them to the service).';
  console.log(push ? `Pushes go to ${push}/webhooks/{kuaishou,youzan}` : pushOff);
  const stop = async () => {
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error((error as Error)?.message ?? error);
  process.exit(1);
});
