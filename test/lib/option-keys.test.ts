import { describe, expect, it } from 'vitest';
import { requireBearerAuth as expressBearer } from '../../src/adapters/express/bearer.js';
import { registerOAuthDiscoveryEndpoints } from '../../src/adapters/express/discovery.js';
import { createLoggingMiddleware as expressLogging } from '../../src/adapters/express/middleware.js';
import { requireBearerAuth as fetchBearer } from '../../src/adapters/fetch/bearer.js';
import { requireBearerAuth as nodeBearer } from '../../src/adapters/node/bearer.js';
import { createOAuthDiscoveryHandler } from '../../src/adapters/node/discovery.js';
import { createLoggingMiddleware as nodeLogging } from '../../src/adapters/node/middleware.js';
import { FrictionController } from '../../src/friction/controller.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { assertKnownKeys } from '../../src/lib/option-keys.js';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';
import { MemoryStore } from '../../src/store/memory.js';
import { RedisStore } from '../../src/store/redis.js';
import type { RedisClient } from '../../src/store/redis-commands.js';
import { createMemoryIntrospectionCache } from '../../src/verify/cache.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { createSharedIntrospectionCache } from '../../src/verify/redis-cache.js';

/** Passes `options` with an extra key, as a user's misspelt option would arrive. */
const withExtra = <T>(options: T, extra: Record<string, unknown>): T =>
  ({ ...options, ...extra }) as T;

const verifier = { verifyAccessToken: async () => Promise.reject(new Error('unused')) };
const discovery = {
  serverUrl: 'https://mcp.example.com/mcp',
  authServerPublicUrl: 'https://as.example.com',
};
const unusedClient = {} as RedisClient;

function refused(make: () => unknown, where: string, key: string): void {
  let error: unknown;
  try {
    make();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TypeError);
  expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  expect((error as Error).message).toContain(`${where}: unknown option "${key}"`);
}

describe('assertKnownKeys', () => {
  const allowed = { alpha: true, beta: true } as const;

  it('accepts known keys and leaves non-objects to the option resolver', () => {
    expect(() => assertKnownKeys({ alpha: 1 }, allowed, 'Thing')).not.toThrow();
    expect(() => assertKnownKeys(undefined, allowed, 'Thing')).not.toThrow();
    expect(() => assertKnownKeys(null, allowed, 'Thing')).not.toThrow();
    expect(() => assertKnownKeys('x', allowed, 'Thing')).not.toThrow();
  });

  it('names every unknown key and the known ones', () => {
    expect(() => assertKnownKeys({ alpha: 1, gamma: 2, delta: 3 }, allowed, 'Thing')).toThrow(
      'Thing: unknown options "gamma", "delta" (known options: "alpha", "beta")',
    );
  });

  it('does not take inherited names for known keys', () => {
    expect(() => assertKnownKeys({ toString: 1 }, allowed, 'Thing')).toThrow('"toString"');
  });
});

describe('every public constructor and factory refuses unknown option keys', () => {
  it('FrictionRegistry: `controller` belongs in defaultConfig; there it is honoured', () => {
    refused(
      () => new FrictionRegistry(withExtra({}, { controller: 'adaptive' })),
      'FrictionRegistry',
      'controller',
    );
    const registry = new FrictionRegistry({ defaultConfig: { controller: 'adaptive' } });
    expect(registry.config.controller).toBe('adaptive');
  });

  it('FrictionController', () => {
    refused(
      () => new FrictionController(withExtra({}, { toolConfig: {} })),
      'FrictionController',
      'toolConfig',
    );
    expect(new FrictionController({ controller: 'adaptive' }).config.controller).toBe('adaptive');
  });

  it('IntrospectionTokenVerifier', () => {
    const options = {
      introspectionEndpoint: 'https://as.example.com/token/introspection',
      serverUrl: 'https://mcp.example.com/mcp',
      clientId: 'mcp',
      clientSecret: 'secret',
    };
    refused(
      () => new IntrospectionTokenVerifier(withExtra(options, { cacheTtlMs: 1 })),
      'IntrospectionTokenVerifier',
      'cacheTtlMs',
    );
    refused(
      () => new IntrospectionTokenVerifier({ ...options, cache: withExtra({}, { ttl: 5 }) }),
      'IntrospectionTokenVerifier cache',
      'ttl',
    );
    expect(() =>
      new IntrospectionTokenVerifier({ ...options, cache: false }).close(),
    ).not.toThrow();
  });

  it('createMemoryIntrospectionCache and createSharedIntrospectionCache', () => {
    refused(
      () => createMemoryIntrospectionCache(withExtra({}, { ttlMs: 5 })),
      'createMemoryIntrospectionCache',
      'ttlMs',
    );
    const store = new MemoryStore();
    refused(
      () => createSharedIntrospectionCache(withExtra({ store }, { localTtl: 5 })),
      'createSharedIntrospectionCache',
      'localTtl',
    );
    void store.close();
  });

  it('createSafeHttpClient', () => {
    refused(
      () => createSafeHttpClient(withExtra({}, { timeoutMs: 5 })),
      'createSafeHttpClient',
      'timeoutMs',
    );
  });

  it('MemoryStore', () => {
    refused(() => new MemoryStore(withExtra({}, { maxEntry: 5 })), 'MemoryStore', 'maxEntry');
  });

  it('RedisStore', () => {
    refused(
      () => new RedisStore(withExtra({ client: unusedClient }, { prefix: 'x:' })),
      'RedisStore',
      'prefix',
    );
  });

  it.each([
    ['express', expressBearer],
    ['node', nodeBearer],
    ['fetch', fetchBearer],
  ] as const)('requireBearerAuth (%s)', (_name, make) => {
    refused(
      () => make(withExtra({ verifier }, { requiredScope: ['read'] })),
      'requireBearerAuth',
      'requiredScope',
    );
  });

  it('requireBearerAuth (node, fetch) accepts maxBodyBytes; Express does not', () => {
    expect(() => nodeBearer({ verifier, maxBodyBytes: 1024 })).not.toThrow();
    expect(() => fetchBearer({ verifier, maxBodyBytes: 1024 })).not.toThrow();
    refused(
      () => expressBearer(withExtra({ verifier }, { maxBodyBytes: 1024 })),
      'requireBearerAuth',
      'maxBodyBytes',
    );
  });

  it('registerOAuthDiscoveryEndpoints and createOAuthDiscoveryHandler', () => {
    const app = { use() {} };
    refused(
      () => registerOAuthDiscoveryEndpoints(app, withExtra(discovery, { scope: ['read'] })),
      'OAuthDiscoveryOptions',
      'scope',
    );
    refused(
      () => createOAuthDiscoveryHandler(withExtra(discovery, { scope: ['read'] })),
      'OAuthDiscoveryOptions',
      'scope',
    );
  });

  it.each([
    ['express', expressLogging],
    ['node', nodeLogging],
  ] as const)('createLoggingMiddleware (%s)', (_name, make) => {
    refused(() => make(withExtra({}, { logBodies: true })), 'createLoggingMiddleware', 'logBodies');
  });
});
