import { z } from 'zod';
import { ENV_SCHEMA } from '../config/config.schema';
import type { SandboxOptions } from './sandbox-runner';

export const SANDBOX_CLI_USAGE = [
  'npm run sandbox -- [--kuaishou-port=N] [--youzan-port=N] [--host=ADDR] [--push=URL]',
  '  --kuaishou-port  Kuaishou emulator port (else SANDBOX_KUAISHOU_PORT, else 3101; 0 = any free port)',
  '  --youzan-port    Youzan emulator port (else SANDBOX_YOUZAN_PORT, else 3102; 0 = any free port)',
  '  --host           interface to bind (else SANDBOX_HOST, else 127.0.0.1)',
  '  --push           base URL of a running service; pushes go to <URL>/webhooks/{kuaishou,youzan} (default: off)',
].join('\n');

const FLAGS = ['kuaishou-port', 'youzan-port', 'host', 'push'] as const;
type Flag = (typeof FLAGS)[number];

export type SandboxCliOptions = Pick<SandboxOptions, 'host' | 'ports' | 'pushBaseUrl'> | { help: true };

/** `npm run sandbox` options: a flag wins over its environment variable, which wins over the default. */
export function parseSandboxCli(argv: string[], env: NodeJS.ProcessEnv): SandboxCliOptions {
  const flags = new Map<Flag, string>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return { help: true };
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    const name = match?.[1] as Flag | undefined;
    if (!match || !name || !FLAGS.includes(name)) throw new Error(`unknown argument ${arg}\n${SANDBOX_CLI_USAGE}`);
    flags.set(name, match[2]);
  }
  const value = <T>(schema: z.ZodType<T>, flag: Flag, envName: string): T => {
    const raw = flags.get(flag) ?? env[envName];
    const parsed = schema.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const source = flags.has(flag) ? `--${flag}` : envName;
      throw new Error(`${source}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    return parsed.data;
  };
  const push = flags.get('push');
  if (push !== undefined && !z.string().url().safeParse(push).success) throw new Error(`--push: not a URL: ${push}`);
  return {
    host: value(ENV_SCHEMA.SANDBOX_HOST, 'host', 'SANDBOX_HOST'),
    ports: {
      kuaishou: value(ENV_SCHEMA.SANDBOX_KUAISHOU_PORT, 'kuaishou-port', 'SANDBOX_KUAISHOU_PORT'),
      youzan: value(ENV_SCHEMA.SANDBOX_YOUZAN_PORT, 'youzan-port', 'SANDBOX_YOUZAN_PORT'),
    },
    pushBaseUrl: push?.replace(/\/$/, ''),
  };
}
