import { parseSandboxCli } from './sandbox-cli.options';

describe('parseSandboxCli (npm run sandbox)', () => {
  it('defaults to 127.0.0.1:3101 and :3102 with pushes off', () => {
    const options = parseSandboxCli([], {});
    expect(options).toEqual({ host: '127.0.0.1', ports: { kuaishou: 3101, youzan: 3102 }, pushBaseUrl: undefined });
  });

  it('honours SANDBOX_KUAISHOU_PORT, SANDBOX_YOUZAN_PORT and SANDBOX_HOST', () => {
    const env = { SANDBOX_KUAISHOU_PORT: '4101', SANDBOX_YOUZAN_PORT: '0', SANDBOX_HOST: '0.0.0.0' };
    const options = parseSandboxCli([], env);
    expect(options).toEqual({ host: '0.0.0.0', ports: { kuaishou: 4101, youzan: 0 }, pushBaseUrl: undefined });
  });

  it('lets a flag win over its environment variable', () => {
    const argv = ['--kuaishou-port=5101', '--push=http://127.0.0.1:3000/'];
    const options = parseSandboxCli(argv, { SANDBOX_KUAISHOU_PORT: '4101' });
    const ports = { kuaishou: 5101, youzan: 3102 };
    expect(options).toEqual({ host: '127.0.0.1', ports, pushBaseUrl: 'http://127.0.0.1:3000' });
  });

  it('refuses a bad port, an unknown flag and a bad push URL, naming the source', () => {
    expect(() => parseSandboxCli([], { SANDBOX_YOUZAN_PORT: 'abc' })).toThrow(/SANDBOX_YOUZAN_PORT/);
    expect(() => parseSandboxCli(['--youzan-port=70000'], {})).toThrow(/--youzan-port/);
    expect(() => parseSandboxCli(['--kuaishou=1'], {})).toThrow(/unknown argument --kuaishou=1/);
    expect(() => parseSandboxCli(['--push=nowhere'], {})).toThrow(/--push/);
  });

  it('answers --help with the usage', () => {
    expect(parseSandboxCli(['--help'], { SANDBOX_YOUZAN_PORT: 'abc' })).toEqual({ help: true });
  });
});
