import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/config/error.js';
import { envOf, FIELDS, fieldOfFlag, flagOf } from '../../src/gateway/config/fields.js';
import { type GatewayConfig, loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { splitRepeated } from '../../src/gateway/config/sources.js';

const BASE = ['--upstream', 'http://127.0.0.1:3001/mcp', '--issuer', 'https://as.example.com'];

function load(argv: readonly string[], env: NodeJS.ProcessEnv = {}): GatewayConfig {
  const loaded = loadGatewayConfig(argv, env);
  if (loaded.help) throw new Error('help');
  return loaded.config;
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    expect((err as GatewayConfigError).exitCode).toBe(2);
    return (err as GatewayConfigError).field;
  }
  throw new Error('no error');
}

function configFile(content: unknown): string {
  const file = join(tmpdir(), `gateway-config-${process.pid}-${Math.random()}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('gateway configuration', () => {
  it('applies the defaults of DESIGN §6.5', () => {
    const config = load(BASE);
    expect(config).toMatchObject({
      upstream: { kind: 'http', url: 'http://127.0.0.1:3001/mcp' },
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080/mcp',
      issuers: ['https://as.example.com'],
      authorizationServers: ['https://as.example.com'],
      scopes: [],
      stdioMaxSessions: 32,
      stdioIdleTimeoutMs: 300_000,
      identityHeaders: false,
      friction: undefined,
    });
  });

  it('reads every kind of flag, repeated flags and --flag=value', () => {
    const config = load([
      ...BASE,
      '--issuer=https://other.example.com',
      '--scopes',
      'read, write',
      '--tool-scope',
      'delete_file=write,admin',
      '--tool-scope',
      'delete_file=audit',
      '--friction',
      'delete_file=0.05',
      '--upstream-header',
      'X-Api-Key: k: with colon',
      '--allow-localhost',
      '--identity-headers=false',
      '--port',
      '9000',
    ]);
    expect(config.issuers).toEqual(['https://as.example.com', 'https://other.example.com']);
    expect(config.scopes).toEqual(['read', 'write']);
    expect(config.toolScopes).toEqual({ delete_file: ['write', 'admin', 'audit'] });
    expect(config.friction).toEqual({ toolConfigs: { delete_file: { targetRate: 0.05 } } });
    expect(config.upstreamHeaders).toEqual([['X-Api-Key', 'k: with colon']]);
    expect(config.allowLocalhost).toBe(true);
    expect(config.identityHeaders).toBe(false);
    expect(config.publicUrl).toBe('http://127.0.0.1:9000/mcp');
  });

  it('precedence: flags > environment > config file > defaults', () => {
    const file = configFile({ port: 7000, host: '0.0.0.0', scopes: ['file'], logLevel: 'warn' });
    const env = { AUTHFLOW_PORT: '7100', AUTHFLOW_SCOPES: 'env1,env2', AUTHFLOW_CONFIG: file };
    const config = load([...BASE, '--port', '7200'], env);
    expect(config.port).toBe(7200);
    expect(config.scopes).toEqual(['env1', 'env2']);
    expect(config.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('warn');
    expect(config.upstreamTimeoutMs).toBe(30_000);
  });

  it('secrets only from the environment or the file', () => {
    expect(fieldOf(() => load([...BASE, '--client-secret', 's']))).toBe('--client-secret');
    const intro = [
      '--upstream',
      'http://u/mcp',
      '--introspection-endpoint',
      'https://as/introspect',
      '--client-id',
      'rs',
      '--authorization-server',
      'https://as',
    ];
    expect(fieldOf(() => load(intro))).toBe('AUTHFLOW_CLIENT_SECRET');
    expect(load(intro, { AUTHFLOW_CLIENT_SECRET: 'from-env' }).introspection?.clientSecret).toBe(
      'from-env',
    );
    const file = configFile({ clientSecret: 'from-file' });
    expect(load([...intro, '--config', file]).introspection?.clientSecret).toBe('from-file');
  });

  it('the config file may hold the full friction configuration; a flag rate overrides it', () => {
    const file = configFile({
      defaultConfig: { windowMs: 60_000 },
      toolConfigs: { rm: { targetRate: 0.1, ceiling: { limit: 5, windowMs: 1000 } } },
      toolGroups: { writes: { tools: ['rm'], targetRate: 0.2 } },
    });
    const config = load([...BASE, '--config', file, '--friction', 'rm=0.01']);
    expect(config.friction).toEqual({
      defaultConfig: { windowMs: 60_000 },
      toolConfigs: { rm: { targetRate: 0.01, ceiling: { limit: 5, windowMs: 1000 } } },
      toolGroups: { writes: { tools: ['rm'], targetRate: 0.2 } },
    });
  });

  it.each([
    [['--port', 'abc'], {}, '--port'],
    [['--port', '65536'], {}, '--port'],
    [['--port'], {}, '--port'],
    [['--nope', '1'], {}, '--nope'],
    [['--scopes', 'a"b'], {}, '--scopes'],
    [['--friction', 'rm=1.5'], {}, '--friction'],
    [['--friction', 'rm'], {}, '--friction'],
    [['--tool-scope', 'rm='], {}, '--tool-scope'],
    [['--upstream-header', 'Host: evil'], {}, '--upstream-header'],
    [['--upstream-header', 'X-Authflow-Subject: admin'], {}, '--upstream-header'],
    [['--log-level', 'loud'], {}, '--log-level'],
    [['--public-url', 'ftp://x/mcp'], {}, '--public-url'],
    [['--stdio', 'server'], {}, '--upstream'],
    [[], { AUTHFLOW_MAX_BODY_BYTES: '-1' }, 'AUTHFLOW_MAX_BODY_BYTES'],
    [[], { AUTHFLOW_ALLOW_LOCALHOST: 'maybe' }, 'AUTHFLOW_ALLOW_LOCALHOST'],
    [[], { AUTHFLOW_FRICTION: 'echo=2' }, 'AUTHFLOW_FRICTION'],
  ] as const)('%j %j → exit 2 naming %s', (argv, env, field) => {
    expect(fieldOf(() => load([...BASE, ...argv], env))).toBe(field);
  });

  it('refuses an unreadable or unknown config file key, naming it', () => {
    expect(fieldOf(() => load([...BASE, '--config', configFile('{nope')]))).toBe('--config');
    expect(fieldOf(() => load([...BASE, '--config', configFile({ prot: 1 })]))).toBe('prot');
    expect(fieldOf(() => load([...BASE, '--config', configFile({ port: '80' })]))).toBe('port');
  });

  it('--help wins', () => {
    expect(loadGatewayConfig(['--port', 'bad', '--help'], {})).toEqual({ help: true });
  });
});

describe('flag and environment parsing (properties)', () => {
  const names = Object.keys(FIELDS);

  it('flag, environment name and field round-trip', () => {
    for (const name of names) {
      expect(fieldOfFlag(flagOf(name))).toBe(name);
      expect(envOf(name)).toMatch(/^AUTHFLOW_[A-Z_]+$/);
    }
  });

  it('a whole number reads the same from a flag, the environment and the file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65_535 }), (port) => {
        const fromFlag = load([...BASE, '--port', String(port)]).port;
        const fromEnv = load(BASE, { AUTHFLOW_PORT: String(port) }).port;
        const fromFile = load([...BASE, '--config', configFile({ port })]).port;
        return fromFlag === port && fromEnv === port && fromFile === port;
      }),
      { numRuns: 50 },
    );
  });

  it('anything that is not a whole number in range is refused, never coerced', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ok = /^\s*\d{1,15}\s*$/.test(text) && Number(text) <= 65_535;
        try {
          load([...BASE, `--port=${text}`]);
          return ok;
        } catch (err) {
          return !ok && err instanceof GatewayConfigError && err.field === '--port';
        }
      }),
    );
  });

  it('comma-separated tool scopes in the environment read like repeated flags', () => {
    const tool = fc.stringMatching(/^[a-z_]{1,8}$/);
    const scopes = fc.array(fc.stringMatching(/^[a-z:]{1,6}$/), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(tool, scopes), { minLength: 1, maxLength: 4 }), (items) => {
        const texts = items.map(([t, s]) => `${t}=${s.join(',')}`);
        const fromFlags = load([...BASE, ...texts.flatMap((t) => ['--tool-scope', t])]);
        const fromEnv = load(BASE, { AUTHFLOW_TOOL_SCOPE: texts.join(',') });
        expect(fromEnv.toolScopes).toEqual(fromFlags.toolScopes);
        expect(splitRepeated(texts.join(','), /^[^=,]+=/)).toEqual(texts);
      }),
    );
  });

  it('the highest source present wins', () => {
    fc.assert(
      fc.property(fc.subarray(['flag', 'env', 'file'] as const), (present) => {
        const argv = [...BASE];
        const env: NodeJS.ProcessEnv = {};
        if (present.includes('flag')) argv.push('--stdio-max-sessions', '3');
        if (present.includes('env')) env.AUTHFLOW_STDIO_MAX_SESSIONS = '2';
        if (present.includes('file')) argv.push('--config', configFile({ stdioMaxSessions: 1 }));
        const expected = present.includes('flag')
          ? 3
          : present.includes('env')
            ? 2
            : present.includes('file')
              ? 1
              : 32;
        return load(argv, env).stdioMaxSessions === expected;
      }),
      { numRuns: 30 },
    );
  });
});
