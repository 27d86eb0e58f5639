import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBearerGateSteps } from '../../src/http/bearer.js';
import { VERIFY_NOW, verifyNow } from '../../src/lib/verify-now.js';
import type { CachedIntrospection, IntrospectionCache } from '../../src/verify/cache.js';
import { CompositeTokenVerifier } from '../../src/verify/composite.js';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';
import { counts, registerTestSdk, type TestSdk } from '../telemetry/_otel.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const T0 = 1_800_000_000_000;
const EXP = T0 / 1000 + 3600;

let fake: FaultyServer;
let sdk: TestSdk;
let now = T0;
const verifiers: IntrospectionTokenVerifier[] = [];

beforeAll(async () => {
  fake = await startFaultyServer();
  sdk = registerTestSdk();
});
afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await fake.close();
  await sdk.shutdown();
});
beforeEach(() => {
  now = T0;
  fake.handle((_req, res) =>
    json(res, 200, { active: true, client_id: 'c1', scope: 'read write', aud: RESOURCE, exp: EXP }),
  );
});

function verifier(options: Partial<IntrospectionTokenVerifierOptions> = {}) {
  const v = new IntrospectionTokenVerifier({
    introspectionEndpoint: `${fake.url}/introspect`,
    serverUrl: RESOURCE,
    clientId: 'rs',
    clientSecret: 'secret',
    allowLocalhost: true,
    now: () => now,
    ...options,
  });
  verifiers.push(v);
  return v;
}

async function hits(): Promise<number> {
  const all = counts((await sdk.metrics()).get('mcp_authflow.token.verifications'));
  return Object.entries(all)
    .filter(([k]) => k.includes('cache.result=hit') && k.includes('method=introspection'))
    .reduce((a, [, n]) => a + n, 0);
}

describe('IntrospectionTokenVerifier [VERIFY_NOW]: the synchronous cache-hit path', () => {
  it('answers nothing before the first verification, then exactly what verifyAccessToken does', async () => {
    const v = verifier();
    expect(v[VERIFY_NOW]('tok-a')).toBeUndefined();
    const requests = fake.count;
    const viaPromise = await v.verifyAccessToken('tok-a');
    expect(fake.count).toBe(requests + 1);
    const before = await hits();
    const now1 = v[VERIFY_NOW]('tok-a');
    expect(now1).toEqual(viaPromise);
    expect(now1).toEqual(await v.verifyAccessToken('tok-a'));
    expect(fake.count).toBe(requests + 1);
    expect(await hits()).toBe(before + 2);
  });

  it('hands out a fresh AuthInfo each time: a caller that mutates one poisons nothing', async () => {
    const v = verifier();
    await v.verifyAccessToken('tok-b');
    const first = v[VERIFY_NOW]('tok-b') as AuthInfo;
    (first.scopes as string[]).push('admin');
    first.clientId = 'mallory';
    const second = v[VERIFY_NOW]('tok-b') as AuthInfo;
    expect(second.scopes).toEqual(['read', 'write']);
    expect(second.clientId).toBe('c1');
  });

  it('leaves every other case to the asynchronous path', async () => {
    const v = verifier();
    await v.verifyAccessToken('tok-c');
    expect(v[VERIFY_NOW]('tok-c')).toBeDefined();
    // Malformed token, unknown token.
    expect(v[VERIFY_NOW]('tok c')).toBeUndefined();
    expect(v[VERIFY_NOW]('tok-unknown')).toBeUndefined();
    // Expired: exp passed (the cache entry is capped at exp, so both go at once).
    now = EXP * 1000;
    expect(v[VERIFY_NOW]('tok-c')).toBeUndefined();
    await expect(v.verifyAccessToken('tok-c')).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('does not answer a cached rejection (the async path throws and logs it)', async () => {
    fake.handle((_req, res) =>
      json(res, 200, { active: true, client_id: 'c1', aud: 'https://other.example/', exp: EXP }),
    );
    const v = verifier();
    await expect(v.verifyAccessToken('tok-d')).rejects.toMatchObject({
      code: 'ERR_TOKEN_AUDIENCE',
    });
    expect(v[VERIFY_NOW]('tok-d')).toBeUndefined();
    await expect(v.verifyAccessToken('tok-d')).rejects.toMatchObject({
      code: 'ERR_TOKEN_AUDIENCE',
    });
  });

  it('never reads a shared store, whose get is I/O', async () => {
    const map = new Map<string, CachedIntrospection>();
    let reads = 0;
    const store: IntrospectionCache = {
      get: (key) => {
        reads += 1;
        return map.get(key);
      },
      set: (key, value) => {
        map.set(key, value);
      },
      delete: (key) => {
        map.delete(key);
      },
    };
    const v = verifier({ cache: { store } });
    await v.verifyAccessToken('tok-e');
    const readsBefore = reads;
    expect(v[VERIFY_NOW]('tok-e')).toBeUndefined();
    expect(reads).toBe(readsBefore);
    expect(await v.verifyAccessToken('tok-e')).toMatchObject({ clientId: 'c1' });
  });

  it('is off without a cache', async () => {
    const v = verifier({ cache: false });
    await v.verifyAccessToken('tok-f');
    expect(v[VERIFY_NOW]('tok-f')).toBeUndefined();
  });

  it('CompositeTokenVerifier passes it on to the verifier the token selects', async () => {
    const v = verifier();
    const jwt = {
      verifyAccessToken: async () => {
        throw new Error('not a JWT here');
      },
      verifyToken: async () => null,
      close: async () => {},
    };
    const composite = new CompositeTokenVerifier({ jwt, introspection: v });
    expect(composite[VERIFY_NOW]('tok-h')).toBeUndefined();
    const viaPromise = await composite.verifyAccessToken('tok-h');
    expect(composite[VERIFY_NOW]('tok-h')).toEqual(viaPromise);
    expect(composite[VERIFY_NOW]('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBeUndefined();
  });

  it('verifyNow() ignores verifiers without the method', () => {
    expect(verifyNow({ verifyAccessToken: async () => ({}) }, 'tok')).toBeUndefined();
  });
});

describe('the bearer gate on a cached token', () => {
  it('decides without calling verifyAccessToken, and still refuses what it must', async () => {
    const v = verifier();
    let calls = 0;
    const spy = {
      verifyAccessToken: (token: string) => {
        calls += 1;
        return v.verifyAccessToken(token);
      },
      [VERIFY_NOW]: (token: string) => v[VERIFY_NOW](token),
    };
    const steps = createBearerGateSteps({ verifier: spy, requiredScopes: ['read'] });
    const request = { authorization: 'Bearer tok-g' };
    expect((await steps.authenticate(request)).ok).toBe(true);
    expect(calls).toBe(1);
    const second = await steps.authenticate(request);
    expect(second.ok).toBe(true);
    expect(calls).toBe(1);
    const strict = createBearerGateSteps({ verifier: spy, requiredScopes: ['admin'] });
    const refused = await strict.authenticate(request);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.response.status).toBe(403);
    expect(calls).toBe(1);
    // The gate's own clock still applies on the synchronous path.
    const late = createBearerGateSteps({ verifier: spy, now: () => (EXP + 1) * 1000 });
    const expired = await late.authenticate(request);
    expect(!expired.ok && expired.response.status).toBe(401);
    expect(calls).toBe(2);
  });
});
