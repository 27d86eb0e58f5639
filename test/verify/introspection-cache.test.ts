import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedIntrospection, IntrospectionCache } from '../../src/verify/cache.js';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const T0 = 1_800_000_000_000;

let as: AuthServer;
let fake: FaultyServer;
const verifiers: IntrospectionTokenVerifier[] = [];

beforeAll(async () => {
  [as, fake] = await Promise.all([startAuthServer(), startFaultyServer()]);
});

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await Promise.all([as.close(), fake.close()]);
});

function realVerifier(options: Partial<IntrospectionTokenVerifierOptions> = {}) {
  const v = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: RESOURCE,
    ...as.clients.basic,
    logger: captureLogger(),
    ...options,
  });
  verifiers.push(v);
  return v;
}

function fakeVerifier(options: Partial<IntrospectionTokenVerifierOptions> = {}) {
  return realVerifier({ introspectionEndpoint: `${fake.url}/introspect`, ...options });
}

/** A Map-backed store, to look inside the cache and to share it between verifiers. */
function mapStore(): IntrospectionCache & { map: Map<string, CachedIntrospection> } {
  const map = new Map<string, CachedIntrospection>();
  return {
    map,
    get: async (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
    delete: async (key) => {
      map.delete(key);
    },
  };
}

describe('introspection cache against oidc-provider (request counting)', () => {
  it('2 sequential verifies of one token → 1 introspection request', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const v = realVerifier();
    const before = as.introspectionCount;
    await v.verifyAccessToken(token);
    await v.verifyAccessToken(token);
    expect(as.introspectionCount - before).toBe(1);
  });

  it('100 concurrent verifies of one uncached token → 1 introspection request', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const v = realVerifier();
    const before = as.introspectionCount;
    const results = await Promise.all(
      Array.from({ length: 100 }, () => v.verifyAccessToken(token)),
    );
    expect(results.every((r) => r.clientId === 'm2m-client')).toBe(true);
    expect(as.introspectionCount - before).toBe(1);
  });

  it('an expired cache entry → a new request (injected clock)', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    let now = Date.now();
    const v = realVerifier({ now: () => now, cache: { ttlMs: 60_000 } });
    const before = as.introspectionCount;
    await v.verifyAccessToken(token);
    now += 59_999;
    await v.verifyAccessToken(token);
    expect(as.introspectionCount - before).toBe(1);
    now += 1;
    await v.verifyAccessToken(token);
    expect(as.introspectionCount - before).toBe(2);
  });

  it('cache: false introspects every time', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const v = realVerifier({ cache: false });
    const before = as.introspectionCount;
    await v.verifyAccessToken(token);
    await v.verifyAccessToken(token);
    expect(as.introspectionCount - before).toBe(2);
  });

  it('a shared store never lets one resource reuse another resource’s verdict', async () => {
    const store = mapStore();
    const token = await as.issueToken({ resource: RESOURCE });
    const mine = realVerifier({ cache: { store } });
    const theirs = realVerifier({ cache: { store }, serverUrl: 'https://other.example.com/mcp' });
    const before = as.introspectionCount;
    await mine.verifyAccessToken(token);
    await expect(theirs.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_AUDIENCE',
    });
    expect(as.introspectionCount - before).toBe(2);
    for (const key of store.map.keys()) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(token);
    }
  });
});

describe('introspection cache lifetimes (fixed answers, injected clock)', () => {
  it('exp in 2 s with a 60 s ttl → re-introspected after 2 s', async () => {
    let now = T0;
    fake.handle((_req, res) =>
      json(res, 200, { active: true, aud: RESOURCE, exp: now / 1000 + 2 }),
    );
    const v = fakeVerifier({ now: () => now, cache: { ttlMs: 60_000 } });
    const before = fake.count;
    await expect(v.verifyAccessToken('t-exp')).resolves.toMatchObject({ expiresAt: T0 / 1000 + 2 });
    now = T0 + 1999;
    await v.verifyAccessToken('t-exp');
    expect(fake.count - before).toBe(1);
    now = T0 + 2000;
    await expect(v.verifyAccessToken('t-exp')).resolves.toMatchObject({ expiresAt: T0 / 1000 + 4 });
    expect(fake.count - before).toBe(2);
  });

  it('exp is re-checked on every hit even if the store keeps the entry longer', async () => {
    let now = T0;
    fake.handle((_req, res) => json(res, 200, { active: true, aud: RESOURCE, exp: T0 / 1000 + 2 }));
    const store = mapStore();
    const v = fakeVerifier({ now: () => now, cache: { store } });
    await v.verifyAccessToken('t-hit');
    const [key] = store.map.keys();
    const entry = store.map.get(key!)!;
    store.map.set(key!, { ...entry, cachedUntilMs: T0 + 3_600_000 });
    now = T0 + 2000;
    const before = fake.count;
    await expect(v.verifyAccessToken('t-hit')).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
    expect(fake.count).toBe(before);
  });

  it('without exp, expiresAt is the end of the cache lifetime', async () => {
    fake.handle((_req, res) => json(res, 200, { active: true, aud: RESOURCE }));
    const v = fakeVerifier({ now: () => T0 + 500, cache: { ttlMs: 30_000 } });
    await expect(v.verifyAccessToken('t-noexp')).resolves.toMatchObject({
      expiresAt: Math.floor((T0 + 30_500) / 1000),
    });
    const off = fakeVerifier({ now: () => T0, cache: false });
    await expect(off.verifyAccessToken('t-noexp')).resolves.toMatchObject({
      expiresAt: T0 / 1000 + 60,
    });
  });

  it('active:false evicts the entry', async () => {
    let now = T0;
    let active = true;
    fake.handle((_req, res) => json(res, 200, { active, aud: RESOURCE }));
    const store = mapStore();
    const v = fakeVerifier({ now: () => now, cache: { store, ttlMs: 1000 } });
    await v.verifyAccessToken('t-evict');
    expect(store.map.size).toBe(1);
    active = false;
    now += 1000;
    await expect(v.verifyAccessToken('t-evict')).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    expect(store.map.size).toBe(0);
  });

  it('inactive and failed introspections are not cached', async () => {
    const v = fakeVerifier({ now: () => T0 });
    const before = fake.count;
    fake.handle((_req, res) => json(res, 200, { active: false }));
    await v.verifyToken('t-fail');
    fake.handle((_req, res) => json(res, 500, {}));
    await expect(v.verifyAccessToken('t-fail')).rejects.toMatchObject({
      code: 'ERR_INTROSPECTION_UNAVAILABLE',
    });
    fake.handle((_req, res) => json(res, 200, { active: true, aud: RESOURCE }));
    await expect(v.verifyAccessToken('t-fail')).resolves.toBeDefined();
    await v.verifyAccessToken('t-fail');
    expect(fake.count - before).toBe(3);
  });

  it('concurrent misses share one failing request; the next call retries', async () => {
    fake.handle((_req, res) => fake.later(50, () => json(res, 503, {})));
    const v = fakeVerifier();
    const before = fake.count;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => v.verifyAccessToken('t-flight')),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(fake.count - before).toBe(1);
    fake.handle((_req, res) => json(res, 200, { active: true, aud: RESOURCE }));
    await expect(v.verifyAccessToken('t-flight')).resolves.toBeDefined();
  });

  it('a failing store falls back to the authorization server', async () => {
    const broken: IntrospectionCache = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
      delete: () => Promise.reject(new Error('down')),
    };
    fake.handle((_req, res) => json(res, 200, { active: true, aud: RESOURCE }));
    const logger = captureLogger();
    const v = fakeVerifier({ cache: { store: broken }, logger });
    await expect(v.verifyAccessToken('t-store')).resolves.toBeDefined();
    expect(logger.records.some((r) => r.record.event === 'introspection_cache_error')).toBe(true);
  });
});

describe('cap on introspections in flight', () => {
  it('runs at most maxInFlight, queues maxQueued, refuses the rest at once', async () => {
    const held: (() => void)[] = [];
    let concurrent = 0;
    let peak = 0;
    fake.handle((_req, res) => {
      concurrent += 1;
      peak = Math.max(peak, concurrent);
      held.push(() => {
        concurrent -= 1;
        json(res, 200, { active: true, aud: RESOURCE });
      });
    });
    const v = fakeVerifier({ cache: { maxInFlight: 2, maxQueued: 3 }, timeoutMs: 10_000 });
    const calls = Array.from({ length: 10 }, (_, i) => v.verifyAccessToken(`flood-${i}`));
    const refused = await Promise.allSettled(calls.slice(5));
    expect(refused.every((r) => r.status === 'rejected')).toBe(true);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(5).fill('ERR_INTROSPECTION_UNAVAILABLE'),
    );
    let settled = 0;
    for (const call of calls.slice(0, 5))
      call.then(
        () => (settled += 1),
        () => (settled += 1),
      );
    for (let round = 0; round < 500 && settled < 5; round += 1) {
      while (held.length > 0) held.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const accepted = await Promise.allSettled(calls.slice(0, 5));
    expect(accepted.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(peak).toBe(2);
  });
});
