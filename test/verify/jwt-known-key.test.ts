import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import type { SafeHttpClient } from '../../src/ssrf/types.js';
import { IssuerKeySet } from '../../src/verify/jwt/key-set.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import {
  clock,
  type KeyServer,
  makeKey,
  NOW_MS,
  SERVER_URL,
  sign,
  startKeyServer,
  type TestKey,
} from './_jwt-fixtures.js';

let ks: KeyServer;
let k1: TestKey;
let k1Rotated: TestKey;
let attacker: TestKey;
const nowS = Math.floor(NOW_MS / 1000);

beforeAll(async () => {
  ks = await startKeyServer();
  [k1, k1Rotated, attacker] = await Promise.all([makeKey('k1'), makeKey('k1'), makeKey('k1')]);
});
afterAll(() => ks.close());
afterEach(() => {
  vi.restoreAllMocks();
  ks.keys = [];
  ks.hits.clear();
});

function verifier(c: ReturnType<typeof clock>): JwtTokenVerifier {
  return new JwtTokenVerifier({
    issuer: ks.origin,
    jwksUri: ks.jwksUri,
    serverUrl: SERVER_URL,
    now: c.now,
    logger: silentLogger,
    cache: false,
  });
}

function tamperPayload(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

describe('the key that verified a header is reused for that header', () => {
  it('skips the key lookup, and still checks every token under that header', async () => {
    ks.keys = [k1];
    const v = verifier(clock());
    const getKey = vi.spyOn(IssuerKeySet.prototype, 'getKey');
    const genuine = await sign(k1, { iss: ks.origin });
    await expect(v.verifyAccessToken(genuine)).resolves.toMatchObject({ clientId: 'c1' });
    // The cold call fetched the set it found the key in: the key is remembered from the next.
    await expect(v.verifyAccessToken(genuine)).resolves.toBeDefined();
    expect(getKey).toHaveBeenCalledTimes(2);
    await expect(v.verifyAccessToken(await sign(k1, { iss: ks.origin }))).resolves.toBeDefined();

    // Same header segment (alg, kid, typ) as the genuine token, so the same reused key.
    const forged: [string, string][] = [
      [await sign(attacker, { iss: ks.origin }), 'ERR_TOKEN_INACTIVE'],
      [tamperPayload(genuine), 'ERR_TOKEN_INACTIVE'],
      [await sign(k1, { iss: 'https://evil.example' }), 'ERR_TOKEN_INACTIVE'],
      [await sign(k1, { iss: ks.origin, aud: 'https://other.example/mcp' }), 'ERR_TOKEN_AUDIENCE'],
      [await sign(k1, { iss: ks.origin, exp: nowS - 31 }), 'ERR_TOKEN_EXPIRED'],
      [await sign(k1, { iss: ks.origin, exp: undefined }), 'ERR_TOKEN_INACTIVE'],
      [await sign(k1, { iss: ks.origin, nbf: nowS + 31 }), 'ERR_TOKEN_INACTIVE'],
      [await sign(k1, { iss: ks.origin, iat: nowS + 31 }), 'ERR_TOKEN_INACTIVE'],
    ];
    for (const [token, code] of forged) {
      expect(token.split('.')[0]).toBe(genuine.split('.')[0]);
      await expect(v.verifyAccessToken(token)).rejects.toMatchObject({ code });
    }
    expect(getKey).toHaveBeenCalledTimes(2);
    expect(ks.count('/jwks')).toBe(1);
    await v.close();
  });

  it('forgets it when the key set is replaced: same kid, new key material', async () => {
    ks.keys = [k1];
    const c = clock();
    const v = verifier(c);
    const old = await sign(k1, { iss: ks.origin });
    await expect(v.verifyAccessToken(old)).resolves.toBeDefined();
    ks.keys = [k1Rotated];
    c.advance(600_000);
    // Past the TTL: the known key still verifies while the set refreshes in the background.
    await expect(v.verifyAccessToken(old)).resolves.toBeDefined();
    await expect.poll(() => ks.count('/jwks')).toBe(2);
    await vi.waitFor(() => expect(v.verifyToken(old)).resolves.toBeNull());
    await expect(v.verifyAccessToken(old)).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
    const rotated = await sign(k1Rotated, { iss: ks.origin });
    expect(rotated.split('.')[0]).toBe(old.split('.')[0]);
    await expect(v.verifyAccessToken(rotated)).resolves.toBeDefined();
    await v.close();
  });
});

describe('IssuerKeySet verified keys', () => {
  function keySet(): IssuerKeySet {
    const body = new TextEncoder().encode(JSON.stringify({ keys: [k1.jwk] }));
    const http: SafeHttpClient = {
      request: async () => ({ status: 200, headers: {}, body }),
      close: async () => {},
    };
    return new IssuerKeySet(
      {
        http,
        now: clock().now,
        logger: silentLogger,
        jwksCacheTtlMs: 600_000,
        jwksCooldownMs: 30_000,
        timeoutMs: 1000,
        maxResponseBytes: 65_536,
      },
      { jwksUri: 'https://auth.example.com/jwks' },
    );
  }

  it('remembers nothing before the keys are fetched, or for an older generation', async () => {
    const keys = keySet();
    expect(keys.verifiedKey('h')).toBeUndefined();
    const stale = keys.generation;
    const key = await keys.getKey({ alg: 'ES256', kid: 'k1' }, { payload: '', signature: '' });
    keys.rememberVerified('h', key, stale);
    expect(keys.verifiedKey('h')).toBeUndefined();
    keys.rememberVerified('h', key, keys.generation);
    expect(keys.verifiedKey('h')).toBe(key);
  });

  it('holds at most 64 headers: a flood of distinct headers starts it afresh', async () => {
    const keys = keySet();
    const key = await keys.getKey({ alg: 'ES256', kid: 'k1' }, { payload: '', signature: '' });
    for (let i = 0; i < 64; i++) keys.rememberVerified(`h${i}`, key, keys.generation);
    expect(keys.verifiedKey('h0')).toBe(key);
    expect(keys.verifiedKey('h63')).toBe(key);
    keys.rememberVerified('h64', key, keys.generation);
    expect(keys.verifiedKey('h0')).toBeUndefined();
    expect(keys.verifiedKey('h64')).toBe(key);
  });
});

describe('without an injected clock', () => {
  it('jose checks exp and nbf on the global clock, and we check iat on it', async () => {
    ks.keys = [k1];
    const v = new JwtTokenVerifier({
      issuer: ks.origin,
      jwksUri: ks.jwksUri,
      serverUrl: SERVER_URL,
      logger: silentLogger,
      cache: false,
    });
    const realS = Math.floor(Date.now() / 1000);
    const at = (claims: Record<string, number | undefined>) =>
      sign(k1, { iss: ks.origin, iat: realS, exp: realS + 60, ...claims });
    await expect(v.verifyAccessToken(await at({}))).resolves.toBeDefined();
    await expect(v.verifyAccessToken(await at({ exp: realS - 31 }))).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    });
    await expect(v.verifyAccessToken(await at({ nbf: realS + 31 }))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    await expect(v.verifyAccessToken(await at({ iat: realS + 31 }))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    await expect(v.verifyAccessToken(await at({ exp: realS - 29 }))).resolves.toBeDefined();
    await v.close();
  });
});
