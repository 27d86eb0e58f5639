import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/config/error.js';
import { type GatewayConfig, loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { createJsonLogger } from '../../src/gateway/logger.js';

const UPSTREAM = ['--upstream', 'http://127.0.0.1:3001/mcp'];
const BASE = [...UPSTREAM, '--issuer', 'https://as.example.com'];
const DPOP_ARGS = () => [...BASE, '--dpop', 'allowed'];

function load(argv: readonly string[], env: NodeJS.ProcessEnv = {}): GatewayConfig {
  const loaded = loadGatewayConfig(argv, env);
  if (loaded.help) throw new Error('help');
  return loaded.config;
}

function refusal(fn: () => unknown): { field: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return { field: (err as GatewayConfigError).field, message: (err as Error).message };
  }
  throw new Error('no error');
}

function configFile(content: unknown): string {
  const file = join(tmpdir(), `gateway-forms-${process.pid}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('config file: the object form of keyed lists', () => {
  it('reads headers, tool scopes and friction rates written as objects', () => {
    const file = configFile({
      upstreamHeader: { 'X-Env': 'prod' },
      toolScope: { rm: ['files:write', 'files:admin'], ls: 'files:read' },
      friction: { rm: 0.1 },
    });
    const config = load([...BASE, '--config', file]);
    expect(config.upstreamHeaders).toEqual([['X-Env', 'prod']]);
    expect(config.toolScopes).toEqual({ rm: ['files:write', 'files:admin'], ls: ['files:read'] });
    expect(config.friction?.toolConfigs).toEqual({ rm: { targetRate: 0.1 } });
  });

  it.each([
    [{ upstreamHeader: { 'X-Env': { nested: true } } }, 'upstreamHeader.X-Env', 'a list'],
    [{ toolScope: { rm: null } }, 'toolScope.rm', 'a list'],
    [{ issuer: { a: 'https://as' } }, 'issuer', 'list of strings'],
    [{ scopes: [1, 2] }, 'scopes', 'list of strings'],
    [{ identityHeaders: 'yes' }, 'identityHeaders', 'true or false'],
    [{ host: 7 }, 'host', 'a string'],
    [{ toolConfigs: [] }, 'toolConfigs', 'an object'],
  ])('%j is refused naming %s', (content, field, words) => {
    const got = refusal(() => load([...BASE, '--config', configFile(content)]));
    expect(got.field).toBe(field);
    expect(got.message).toContain(words);
  });

  it('a file that holds JSON but not an object is refused naming --config', () => {
    for (const content of [[1], 'text', null]) {
      const got = refusal(() => load([...BASE, '--config', configFile(content)]));
      expect(got.field).toBe('--config');
      expect(got.message).toContain('must hold a JSON object');
    }
  });
});

describe('cross-field rules and URL values', () => {
  const intro = ['--introspection-endpoint', 'https://as.example.com/introspect'];

  it('introspection with client authentication needs --client-id', () => {
    const env = { AUTHFLOW_CLIENT_SECRET: 's' };
    expect(refusal(() => load([...BASE, ...intro], env)).field).toBe('--client-id');
  });

  it('an authorization server is needed: --issuer, or --authorization-server with introspection', () => {
    expect(refusal(() => load(UPSTREAM)).field).toBe('--issuer');
    const env = { AUTHFLOW_CLIENT_SECRET: 's' };
    const got = refusal(() => load([...UPSTREAM, ...intro, '--client-id', 'rs'], env));
    expect(got.field).toBe('--authorization-server');
  });

  it.each([
    ['not a url', 'an absolute URL'],
    ['https://user:pw@as.example.com', 'credentials'],
  ])('public URL %s is refused (%s)', (url, words) => {
    const got = refusal(() => load([...BASE, '--public-url', url]));
    expect(got.field).toBe('--public-url');
    expect(got.message).toContain(words);
    expect(got.message).not.toContain('pw');
  });

  it('an upstream header value with a control byte is refused (no header injection)', () => {
    const got = refusal(() => load([...BASE, '--upstream-header', 'X-Env: a\r\nHost: evil']));
    expect(got.field).toBe('--upstream-header');
    expect(got.message).toContain('forbidden characters');
  });
});

describe('server-issued DPoP nonces (--dpop-nonce)', () => {
  const DPOP = [...BASE, '--dpop', 'allowed'];
  const SECRET = 's'.repeat(16);

  it('off by default; on with a random secret, or with the replicas’ shared secret', () => {
    expect(load(DPOP).dpopNonce).toBeUndefined();
    expect(load([...DPOP, '--dpop-nonce']).dpopNonce).toBe(true);
    const env = { AUTHFLOW_DPOP_NONCE: 'true', AUTHFLOW_DPOP_NONCE_SECRET: SECRET };
    expect(load(DPOP, env).dpopNonce).toEqual({ secret: SECRET });
    const file = configFile({ dpopNonce: true, dpopNonceSecret: SECRET });
    expect(load([...DPOP, '--config', file]).dpopNonce).toEqual({ secret: SECRET });
  });

  it.each([
    [[...BASE, '--dpop-nonce'], {}, '--dpop-nonce', 'needs --dpop'],
    [DPOP_ARGS(), { AUTHFLOW_DPOP_NONCE_SECRET: SECRET }, 'AUTHFLOW_DPOP_NONCE_SECRET', 'needs'],
    [
      [...DPOP_ARGS(), '--dpop-nonce'],
      { AUTHFLOW_DPOP_NONCE_SECRET: 'short' },
      'AUTHFLOW_DPOP_NONCE_SECRET',
      '16 bytes',
    ],
    [
      [...DPOP_ARGS(), '--dpop-nonce', '--dpop-nonce-secret', SECRET],
      {},
      '--dpop-nonce-secret',
      'secrets',
    ],
  ])('%j %j is refused naming %s', (argv, env, field, words) => {
    const got = refusal(() => load(argv, env));
    expect(got.field).toBe(field);
    expect(got.message).toContain(words);
    expect(got.message).not.toContain(SECRET);
  });
});

describe('gateway logger default writer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('joins the lines of one event-loop turn into one stderr write, below-level records dropped', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    const log = createJsonLogger('info');
    log.debug({ event: 'hidden' });
    log.info({ event: 'one' });
    log.warn({ event: 'two' });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.event])).toEqual([
      ['info', 'one'],
      ['warn', 'two'],
    ]);
    log.error({ event: 'three' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
  });
});
