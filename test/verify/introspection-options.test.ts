import { describe, expect, it } from 'vitest';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';

const BASE: IntrospectionTokenVerifierOptions = {
  introspectionEndpoint: 'https://as.example.com/introspect',
  serverUrl: 'https://mcp.example.com/mcp',
  clientId: 'rs',
  clientSecret: 'secret',
};

function construct(overrides: Record<string, unknown>): unknown {
  try {
    const v = new IntrospectionTokenVerifier({
      ...BASE,
      ...overrides,
    } as IntrospectionTokenVerifierOptions);
    void v.close();
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('IntrospectionTokenVerifier options', () => {
  it('accepts a minimal valid configuration and each auth method', async () => {
    const methods = ['client_secret_basic', 'client_secret_post', 'bearer', 'none'] as const;
    for (const clientAuthMethod of methods) {
      expect(construct({ clientAuthMethod })).toBeUndefined();
    }
    expect(construct({ clientId: undefined, clientSecret: undefined })).toBeUndefined();
    expect(construct({ validateResource: false, serverUrl: undefined })).toBeUndefined();
    expect(construct({ cache: false })).toBeUndefined();
    expect(construct({ introspectionEndpoint: 'http://127.0.0.1:9/x' })).toBeUndefined();
    expect(construct({ introspectionEndpoint: 'http://mcp-auth/introspect' })).toBeUndefined();
  });

  it.each([
    [
      'bearer without a secret',
      { clientAuthMethod: 'bearer', clientSecret: undefined },
      'ERR_INVALID_ARG_VALUE',
      'clientSecret',
    ],
    ['basic without a client id', { clientId: undefined }, 'ERR_INVALID_ARG_VALUE', 'clientId'],
    [
      'post without a client id',
      { clientAuthMethod: 'client_secret_post', clientId: undefined },
      'ERR_INVALID_ARG_VALUE',
      'clientId',
    ],
    [
      'basic without a secret',
      { clientAuthMethod: 'client_secret_basic', clientSecret: undefined },
      'ERR_INVALID_ARG_VALUE',
      'clientSecret',
    ],
    [
      'an unknown method',
      { clientAuthMethod: 'private_key_jwt' },
      'ERR_INVALID_ARG_VALUE',
      'clientAuthMethod',
    ],
    ['an empty secret', { clientSecret: '' }, 'ERR_INVALID_ARG_VALUE', 'clientSecret'],
    ['a numeric client id', { clientId: 7 }, 'ERR_INVALID_ARG_TYPE', 'clientId'],
    [
      'a missing endpoint',
      { introspectionEndpoint: undefined },
      'ERR_INVALID_ARG_TYPE',
      'introspectionEndpoint',
    ],
    [
      'a plain-http public endpoint',
      { introspectionEndpoint: 'http://as.example.com/i' },
      'ERR_INVALID_ARG_VALUE',
      'introspectionEndpoint',
    ],
    [
      'a metadata endpoint',
      { introspectionEndpoint: 'http://169.254.169.254/latest' },
      'ERR_INVALID_ARG_VALUE',
      'introspectionEndpoint',
    ],
    [
      'loopback when not allowed',
      { introspectionEndpoint: 'http://127.0.0.1/i', allowLocalhost: false },
      'ERR_INVALID_ARG_VALUE',
      'introspectionEndpoint',
    ],
    [
      'a non-URL endpoint',
      { introspectionEndpoint: 'not a url' },
      'ERR_INVALID_ARG_VALUE',
      'introspectionEndpoint',
    ],
    ['a zero timeout', { timeoutMs: 0 }, 'ERR_INVALID_ARG_VALUE', 'timeoutMs'],
    ['a negative timeout', { timeoutMs: -5 }, 'ERR_INVALID_ARG_VALUE', 'timeoutMs'],
    [
      'an infinite timeout',
      { timeoutMs: Number.POSITIVE_INFINITY },
      'ERR_INVALID_ARG_VALUE',
      'timeoutMs',
    ],
    ['a string timeout', { timeoutMs: '5000' }, 'ERR_INVALID_ARG_TYPE', 'timeoutMs'],
    ['a zero size', { maxResponseBytes: 0 }, 'ERR_INVALID_ARG_VALUE', 'maxResponseBytes'],
    ['a fractional size', { maxResponseBytes: 1.5 }, 'ERR_INVALID_ARG_VALUE', 'maxResponseBytes'],
    ['a zero ttl', { cache: { ttlMs: 0 } }, 'ERR_INVALID_ARG_VALUE', 'cache.ttlMs'],
    ['zero entries', { cache: { maxEntries: 0 } }, 'ERR_INVALID_ARG_VALUE', 'cache.maxEntries'],
    ['zero in flight', { cache: { maxInFlight: 0 } }, 'ERR_INVALID_ARG_VALUE', 'cache.maxInFlight'],
    ['a negative queue', { cache: { maxQueued: -1 } }, 'ERR_INVALID_ARG_VALUE', 'cache.maxQueued'],
    ['cache: true', { cache: true }, 'ERR_INVALID_ARG_TYPE', 'cache'],
    ['a bad store', { cache: { store: {} } }, 'ERR_INVALID_ARG_TYPE', 'cache.store'],
    [
      'no serverUrl while validating',
      { serverUrl: undefined },
      'ERR_INVALID_ARG_VALUE',
      'serverUrl',
    ],
    ['a relative serverUrl', { serverUrl: '/mcp' }, 'ERR_INVALID_ARG_VALUE', 'serverUrl'],
    ['a string flag', { validateResource: 'yes' }, 'ERR_INVALID_ARG_TYPE', 'validateResource'],
    ['a non-function clock', { now: 5 }, 'ERR_INVALID_ARG_TYPE', 'now'],
    ['a bad logger', { logger: console.log }, 'ERR_INVALID_ARG_TYPE', 'logger'],
    ['a bad http client', { httpClient: {} }, 'ERR_INVALID_ARG_TYPE', 'httpClient'],
  ])('%s → TypeError %s naming %s', (_name, overrides, code, option) => {
    const err = construct(overrides) as TypeError & { code?: string };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe(code);
    expect(err.message).toContain(`"${option}"`);
  });

  it('never echoes the endpoint (it may carry secrets)', () => {
    const err = construct({
      introspectionEndpoint: 'http://as.example.com/i?key=SUPERSECRET',
    }) as Error;
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).not.toContain('SUPERSECRET');
    expect(err.message).not.toContain('as.example.com');
  });

  it('refuses a non-object', () => {
    const make = (o: unknown) => () =>
      new IntrospectionTokenVerifier(o as IntrospectionTokenVerifierOptions);
    expect(make(null)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(make('https://as/i')).toThrow(TypeError);
  });

  it('uses an injected httpClient and does not close it', async () => {
    let closed = 0;
    const requests: string[] = [];
    const httpClient = {
      request: async (url: string) => {
        requests.push(url);
        const body = new TextEncoder().encode(
          '{"active":true,"aud":"https://mcp.example.com/mcp"}',
        );
        return { status: 200, headers: {}, body };
      },
      close: async () => {
        closed += 1;
      },
    };
    const v = new IntrospectionTokenVerifier({ ...BASE, httpClient });
    await expect(v.verifyAccessToken('abc')).resolves.toMatchObject({ clientId: 'unknown' });
    await v.close();
    expect(requests).toEqual([BASE.introspectionEndpoint]);
    expect(closed).toBe(0);
  });

  it('surfaces unexpected errors from verifyToken instead of hiding them as null', async () => {
    const boom = () => {
      throw new Error('logger broke');
    };
    const logger = { debug: boom, info: boom, warn: boom, error: boom };
    const v = new IntrospectionTokenVerifier({ ...BASE, logger });
    await expect(v.verifyToken('bad token')).rejects.toThrow('logger broke');
    await v.close();
  });

  it('never mutates the options object', () => {
    const options = Object.freeze({ ...BASE, cache: Object.freeze({ ttlMs: 5 }) });
    const v = new IntrospectionTokenVerifier(options);
    expect(v.serverUrl).toBe(BASE.serverUrl);
    void v.close();
  });
});
