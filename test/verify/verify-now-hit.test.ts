/**
 * The introspection verifier's synchronous hit path, in detail: one clock reading per hit on the
 * verifier's own memory cache, a memory store's own clock still honoured, the token syntax left
 * to the asynchronous path (same refusals), and copies with the keys of the built `AuthInfo`.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERIFY_NOW } from '../../src/lib/verify-now.js';
import { createMemoryIntrospectionCache } from '../../src/verify/cache.js';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const T0 = 1_800_000_000_000;
const EXP = T0 / 1000 + 3600;

let fake: FaultyServer;
let now = T0;
let clockReads = 0;
const verifiers: IntrospectionTokenVerifier[] = [];

beforeAll(async () => {
  fake = await startFaultyServer();
});
afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await fake.close();
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
    now: () => {
      clockReads += 1;
      return now;
    },
    ...options,
  });
  verifiers.push(v);
  return v;
}

describe('IntrospectionTokenVerifier [VERIFY_NOW] on a hit', () => {
  it('reads the clock once (the verifier and its own memory cache share it)', async () => {
    const v = verifier();
    await v.verifyAccessToken('tok-a');
    clockReads = 0;
    expect(v[VERIFY_NOW]('tok-a')).toMatchObject({ clientId: 'c1' });
    expect(clockReads).toBe(1);
  });

  it('honours the clock of a memory store given as `cache.store`', async () => {
    let storeNow = T0;
    const store = createMemoryIntrospectionCache({ now: () => storeNow });
    const v = verifier({ cache: { store, ttlMs: 60_000 } });
    await v.verifyAccessToken('tok-b');
    expect(v[VERIFY_NOW]('tok-b')).toBeDefined();
    // Expired on the store's clock only: the store drops it, whatever the verifier's clock says.
    storeNow = T0 + 60_000;
    expect(v[VERIFY_NOW]('tok-b')).toBeUndefined();
    storeNow = T0;
    expect(v[VERIFY_NOW]('tok-b')).toBeUndefined();
  });

  it('leaves malformed and over-long tokens to verifyAccessToken, which refuses them', async () => {
    const v = verifier();
    for (const token of ['tok c', 'tok"', 'a'.repeat(4097), '']) {
      expect(v[VERIFY_NOW](token)).toBeUndefined();
      await expect(v.verifyAccessToken(token)).rejects.toMatchObject({
        code: 'ERR_TOKEN_MALFORMED',
      });
    }
    expect(v[VERIFY_NOW](42 as unknown as string)).toBeUndefined();
  });

  it('hands out copies with the keys, in order, of the AuthInfo the verifier built', async () => {
    const withResource = verifier();
    const viaPromise = await withResource.verifyAccessToken('tok-d');
    const hit = withResource[VERIFY_NOW]('tok-d');
    const keys = ['token', 'clientId', 'scopes', 'expiresAt', 'resource', 'extra'];
    expect(Object.keys(viaPromise)).toEqual(keys);
    expect(Object.keys(hit ?? {})).toEqual(keys);
    expect(JSON.stringify(hit)).toBe(JSON.stringify(viaPromise));
    expect(hit?.scopes).not.toBe(viaPromise.scopes);

    fake.handle((_req, res) => json(res, 200, { active: true, client_id: 'c2', exp: EXP }));
    const noResource = verifier({ validateResource: false });
    const plain = await noResource.verifyAccessToken('tok-e');
    expect(Object.keys(plain)).toEqual(['token', 'clientId', 'scopes', 'expiresAt', 'extra']);
    expect(Object.keys(noResource[VERIFY_NOW]('tok-e') ?? {})).toEqual(Object.keys(plain));
  });
});
