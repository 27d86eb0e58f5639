import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { MemoryStore } from '../../src/store/memory.js';
import { RedisStore } from '../../src/store/redis.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { createSharedIntrospectionCache } from '../../src/verify/redis-cache.js';
import { captureLogger } from '../friction/_logger.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';

const RESOURCE = 'https://mcp.example.com/mcp';

describeRedis('Shared introspection cache on Redis', () => {
  const prefix = uniquePrefix('cache');
  let as: AuthServer;
  const clients: Redis[] = [];
  const verifiers: IntrospectionTokenVerifier[] = [];

  beforeAll(async () => {
    as = await startAuthServer();
  });
  afterAll(async () => {
    await Promise.all(verifiers.map((v) => v.close()));
    await as.close();
    if (clients[0]) await deleteKeys(clients[0], prefix);
    for (const c of clients) c.disconnect();
  });

  function replica(store: RedisStore, localTtlMs?: number) {
    const v = new IntrospectionTokenVerifier({
      introspectionEndpoint: as.introspectionEndpoint,
      serverUrl: RESOURCE,
      clientId: as.clients.basic.clientId,
      clientSecret: as.clients.basic.clientSecret,
      logger: silentLogger,
      cache: { store: createSharedIntrospectionCache({ store, localTtlMs }) },
    });
    verifiers.push(v);
    return v;
  }
  const redisStore = (keyPrefix = prefix, url?: string, logger = silentLogger) => {
    const client = redisClient(url);
    clients.push(client);
    return new RedisStore({ client, keyPrefix, logger, commandTimeoutMs: 300 });
  };

  it('two verifiers sharing Redis introspect a token once', async () => {
    const token = await as.issueToken({ resource: RESOURCE, scope: 'read' });
    const [a, b] = [replica(redisStore()), replica(redisStore())];
    const before = as.introspectionCount;
    await expect(a.verifyAccessToken(token)).resolves.toMatchObject({ scopes: ['read'] });
    await expect(b.verifyAccessToken(token)).resolves.toMatchObject({ scopes: ['read'] });
    await Promise.all([a.verifyAccessToken(token), b.verifyAccessToken(token)]);
    expect(as.introspectionCount - before).toBe(1);
    const keys = await clients[0]!.keys(`${prefix}v:introspection:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/introspection:[0-9a-f]{64}$/);
    expect(await clients[0]!.get(keys[0]!)).not.toContain(token);
    const pttl = await clients[0]!.pttl(keys[0]!);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('falls back to the authorization server when Redis is unreachable', async () => {
    const log = captureLogger();
    const dead = redisStore(prefix, 'redis://127.0.0.1:1', log);
    const v = replica(dead, 0);
    const token = await as.issueToken({ resource: RESOURCE, scope: 'write' });
    const before = as.introspectionCount;
    for (let i = 0; i < 3; i++) {
      await expect(v.verifyAccessToken(token)).resolves.toMatchObject({ scopes: ['write'] });
    }
    expect(as.introspectionCount - before).toBe(3);
    expect(log.records.filter((r) => r.event === 'redis_store_unavailable')).toHaveLength(1);
  });
});

it('serves hot tokens from the local layer and treats store failures as misses', async () => {
  let t = 1000;
  const store = new MemoryStore({ now: () => t });
  const cache = createSharedIntrospectionCache({ store, now: () => t, localTtlMs: 100 });
  const entry = { claims: { active: true as const, scope: 'read' }, cachedUntilMs: 60_000 };
  await cache.set('k', entry, 50_000);
  await store.delete('introspection:k');
  expect(await cache.get('k')).toEqual(entry);
  t += 100;
  expect(await cache.get('k')).toBeUndefined();
  await store.set('introspection:bad', '{not json', 1000);
  await store.set('introspection:inactive', JSON.stringify({ ...entry, claims: {} }), 1000);
  expect(await cache.get('bad')).toBeUndefined();
  expect(await cache.get('inactive')).toBeUndefined();
  await cache.set('k', entry, 50_000);
  await cache.delete('k');
  expect(await cache.get('k')).toBeUndefined();

  const failing = { ...store, get: () => Promise.reject(new Error('down')) };
  const f = createSharedIntrospectionCache({
    store: { ...failing, set: failing.get, delete: failing.get } as unknown as MemoryStore,
    localTtlMs: 0,
  });
  await expect(f.set('x', entry, 1000)).resolves.toBeUndefined();
  await expect(f.get('x')).resolves.toBeUndefined();
  await expect(f.delete('x')).resolves.toBeUndefined();
  expect(() => createSharedIntrospectionCache({} as never)).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
  );
  expect(() => createSharedIntrospectionCache({ store, localTtlMs: -1 })).toThrow('localTtlMs');
  await store.close();
});
