/**
 * `JwtTokenVerifier[VERIFY_NOW]`: the synchronous cache hit of a JWT verdict, against a loopback
 * key server and a real OpenTelemetry SDK. Mirrors test/verify/verify-now.test.ts.
 */

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBearerGateSteps } from '../../src/http/bearer.js';
import { VERIFY_NOW } from '../../src/lib/verify-now.js';
import { CompositeTokenVerifier } from '../../src/verify/composite.js';
import type { JwtTokenVerifierOptions } from '../../src/verify/jwt/types.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import { counts, registerTestSdk, type TestSdk } from '../telemetry/_otel.js';
import {
  clock,
  type KeyServer,
  makeKey,
  NOW_MS,
  SERVER_URL,
  sign,
  silentLogger,
  startKeyServer,
  type TestKey,
} from './_jwt-fixtures.js';

const ISSUER = 'https://issuer.example.com';
const EXP = Math.floor(NOW_MS / 1000) + 3600;

let keys: KeyServer;
let sdk: TestSdk;
let k1: TestKey;
const verifiers: JwtTokenVerifier[] = [];

beforeAll(async () => {
  sdk = registerTestSdk();
  keys = await startKeyServer();
  k1 = await makeKey('k1');
  keys.keys = [k1];
});
afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await keys.close();
  await sdk.shutdown();
});

function verifier(options: Partial<JwtTokenVerifierOptions> = {}) {
  const time = clock(NOW_MS);
  const v = new JwtTokenVerifier({
    issuer: ISSUER,
    jwksUri: keys.jwksUri,
    serverUrl: SERVER_URL,
    allowLocalhost: true,
    now: time.now,
    logger: silentLogger,
    ...options,
  });
  verifiers.push(v);
  return { v, time };
}

async function verifications(cache: 'hit' | 'miss'): Promise<number> {
  const all = counts((await sdk.metrics()).get('mcp_authflow.token.verifications'));
  return Object.entries(all)
    .filter(([k]) => k.includes(`cache.result=${cache}`) && k.includes('method=jwt'))
    .reduce((a, [, n]) => a + n, 0);
}

const token = (claims: Record<string, unknown> = {}) => sign(k1, { iss: ISSUER, ...claims });

describe('JwtTokenVerifier [VERIFY_NOW]: the synchronous cache-hit path', () => {
  it('answers nothing before the first verification, then exactly what verifyAccessToken does', async () => {
    const { v } = verifier();
    const t = await token({ sub: 'alice' });
    expect(v[VERIFY_NOW](t)).toBeUndefined();
    const viaPromise = await v.verifyAccessToken(t);
    const fetches = keys.count('/jwks');
    const [hitsBefore, missesBefore] = [await verifications('hit'), await verifications('miss')];
    const now1 = v[VERIFY_NOW](t);
    expect(now1).toEqual(viaPromise);
    expect(now1).toMatchObject({ clientId: 'c1', scopes: ['read', 'write'], expiresAt: EXP });
    expect(now1?.resource?.href).toBe(SERVER_URL);
    expect(now1).toEqual(await v.verifyAccessToken(t));
    expect(keys.count('/jwks')).toBe(fetches);
    // Counted as method jwt, cache hit, exactly like the promise path's hit.
    expect(await verifications('hit')).toBe(hitsBefore + 2);
    expect(await verifications('miss')).toBe(missesBefore);
  });

  it('hands out a fresh AuthInfo each time: a caller that mutates one poisons nothing', async () => {
    const { v } = verifier();
    const t = await token({ sub: 'bob' });
    await v.verifyAccessToken(t);
    const first = v[VERIFY_NOW](t) as AuthInfo;
    (first.scopes as string[]).push('admin');
    first.clientId = 'mallory';
    (first.extra as Record<string, unknown>).subject = 'mallory';
    const second = v[VERIFY_NOW](t) as AuthInfo;
    expect(second.scopes).toEqual(['read', 'write']);
    expect(second.clientId).toBe('c1');
    expect(second.extra?.subject).toBe('bob');
    expect(await v.verifyAccessToken(t)).toEqual(second);
  });

  it('leaves every other case to the asynchronous path', async () => {
    const { v, time } = verifier();
    const t = await token();
    await v.verifyAccessToken(t);
    expect(v[VERIFY_NOW](t)).toBeDefined();
    // Malformed, and a well-formed token never verified (its signature is not checked here).
    expect(v[VERIFY_NOW]('not a jwt')).toBeUndefined();
    expect(v[VERIFY_NOW](`${t.slice(0, -4)}AAAA`)).toBeUndefined();
    expect(v[VERIFY_NOW](await token({ jti: 'other' }))).toBeUndefined();
    // Expired: the verdict never outlives exp; past the clock skew the promise path refuses it.
    time.advance(3600 * 1000);
    expect(v[VERIFY_NOW](t)).toBeUndefined();
    time.advance(3600 * 1000);
    await expect(v.verifyAccessToken(t)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('stops answering when the cached verdict reaches its ttlMs, before exp', async () => {
    const { v, time } = verifier({ cache: { ttlMs: 1000 } });
    const t = await token();
    await v.verifyAccessToken(t);
    expect(v[VERIFY_NOW](t)).toBeDefined();
    time.advance(1000);
    expect(v[VERIFY_NOW](t)).toBeUndefined();
    expect(await v.verifyAccessToken(t)).toMatchObject({ clientId: 'c1' });
    expect(v[VERIFY_NOW](t)).toBeDefined();
  });

  it('does not answer a rejection (nothing rejected is cached)', async () => {
    const { v } = verifier();
    const t = await token({ aud: 'https://other.example/' });
    await expect(v.verifyAccessToken(t)).rejects.toMatchObject({ code: 'ERR_TOKEN_AUDIENCE' });
    expect(v[VERIFY_NOW](t)).toBeUndefined();
  });

  it('is off without a cache', async () => {
    const { v } = verifier({ cache: false });
    const t = await token();
    await v.verifyAccessToken(t);
    expect(v[VERIFY_NOW](t)).toBeUndefined();
  });

  it('CompositeTokenVerifier passes it on for a JWT', async () => {
    const { v } = verifier();
    const introspection = {
      verifyAccessToken: async () => {
        throw new Error('not opaque here');
      },
      verifyToken: async () => null,
      close: async () => {},
    };
    const composite = new CompositeTokenVerifier({ jwt: v, introspection });
    const t = await token({ sub: 'carol' });
    expect(composite[VERIFY_NOW](t)).toBeUndefined();
    const viaPromise = await composite.verifyAccessToken(t);
    expect(composite[VERIFY_NOW](t)).toEqual(viaPromise);
  });
});

describe('the bearer gate on a cached JWT', () => {
  it('decides without calling verifyAccessToken, and still refuses what it must', async () => {
    const { v } = verifier();
    const t = await token();
    let calls = 0;
    const spy = {
      verifyAccessToken: (tok: string) => {
        calls += 1;
        return v.verifyAccessToken(tok);
      },
      [VERIFY_NOW]: (tok: string) => v[VERIFY_NOW](tok),
    };
    const steps = createBearerGateSteps({ verifier: spy, requiredScopes: ['read'] });
    const request = { authorization: `Bearer ${t}` };
    expect((await steps.authenticate(request)).ok).toBe(true);
    expect(calls).toBe(1);
    expect((await steps.authenticate(request)).ok).toBe(true);
    expect(calls).toBe(1);
    const strict = createBearerGateSteps({ verifier: spy, requiredScopes: ['admin'] });
    const refused = await strict.authenticate(request);
    expect(!refused.ok && refused.response.status).toBe(403);
    expect(calls).toBe(1);
    const late = createBearerGateSteps({ verifier: spy, now: () => (EXP + 1) * 1000 });
    const expired = await late.authenticate(request);
    expect(!expired.ok && expired.response.status).toBe(401);
    expect(calls).toBe(2);
  });
});
