import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenRejectedError, VerifierUnavailableError } from '../../src/errors.js';
import type { JwtTokenVerifierOptions } from '../../src/verify/jwt/types.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
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

let ks: KeyServer;
let k1: TestKey;
let k2: TestKey;
let k3: TestKey;
let issuer: string;

beforeAll(async () => {
  ks = await startKeyServer();
  issuer = ks.origin;
  [k1, k2, k3] = await Promise.all([makeKey('k1'), makeKey('k2', 'RS256'), makeKey('k3')]);
});
afterAll(() => ks.close());

function verifier(c = clock(), extra: Partial<JwtTokenVerifierOptions> = {}) {
  return new JwtTokenVerifier({
    issuer,
    jwksUri: ks.jwksUri,
    serverUrl: SERVER_URL,
    now: c.now,
    logger: silentLogger,
    ...extra,
  });
}

function reset(keys: TestKey[]): void {
  ks.keys = keys;
  ks.override = undefined;
  ks.metadata = undefined;
  ks.hits.clear();
}

describe('JwtTokenVerifier key handling (loopback key server)', () => {
  it('accepts a valid token and fills AuthInfo', async () => {
    reset([k1]);
    const v = verifier();
    const token = await sign(k1, { iss: issuer, sub: 'u1' });
    const info = await v.verifyAccessToken(token);
    expect(info).toMatchObject({ clientId: 'c1', scopes: ['read', 'write'] });
    expect(info.expiresAt).toBe(Math.floor(NOW_MS / 1000) + 3600);
    expect(info.resource?.href).toBe(SERVER_URL);
    expect(info.extra).toMatchObject({ subject: 'u1', issuer });
    expect(v.serverUrl).toBe(SERVER_URL);
    await v.close();
  });

  it('50 concurrent cold verifications share one metadata and one JWKS fetch', async () => {
    reset([k1]);
    ks.metadata = { issuer, jwks_uri: ks.jwksUri };
    const v = new JwtTokenVerifier({
      issuer,
      serverUrl: SERVER_URL,
      logger: silentLogger,
      now: clock().now,
    });
    const token = await sign(k1, { iss: issuer });
    const results = await Promise.all(Array.from({ length: 50 }, () => v.verifyToken(token)));
    expect(results.every((r) => r?.clientId === 'c1')).toBe(true);
    // RFC 8414 path first (404 here), then OpenID discovery.
    expect(ks.count('/.well-known/oauth-authorization-server')).toBe(1);
    expect(ks.count('/.well-known/openid-configuration')).toBe(1);
    expect(ks.count('/jwks')).toBe(1);
    await v.close();
  });

  it('rotation: an unknown kid refetches once per cooldown, single-flight', async () => {
    reset([k1]);
    const c = clock();
    const v = verifier(c, { cache: false });
    await v.verifyAccessToken(await sign(k1, { iss: issuer }));
    ks.keys = [k1, k2];
    // Right after the first fetch, an unknown kid is within the cooldown: 401, no refetch.
    const early = await sign(k2, { iss: issuer });
    await expect(v.verifyAccessToken(early)).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
    expect(ks.count('/jwks')).toBe(1);
    c.advance(30_000);
    const t2 = await sign(k2, { iss: issuer });
    const t3 = await sign(k3, { iss: issuer });
    const all = await Promise.all([
      ...Array.from({ length: 10 }, () => v.verifyToken(t2)),
      ...Array.from({ length: 10 }, () => v.verifyToken(t3)),
    ]);
    expect(all.slice(0, 10).every((r) => r !== null)).toBe(true);
    expect(all.slice(10).every((r) => r === null)).toBe(true);
    expect(ks.count('/jwks')).toBe(2);
    // Within the cooldown, an unknown kid is 401 with no refetch.
    await expect(v.verifyAccessToken(t3)).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
    expect(ks.count('/jwks')).toBe(2);
    c.advance(30_000);
    ks.keys = [k3];
    await expect(v.verifyAccessToken(t3)).resolves.toMatchObject({ clientId: 'c1' });
    expect(ks.count('/jwks')).toBe(3);
  });

  it('stale-while-error: known keys keep verifying, unknown keys are 503', async () => {
    reset([k1]);
    const c = clock();
    const v = verifier(c, { cache: false });
    const t1 = await sign(k1, { iss: issuer });
    await v.verifyAccessToken(t1);
    ks.override = { status: 500, body: 'down' };
    c.advance(600_000);
    await expect(v.verifyAccessToken(t1)).resolves.toBeDefined();
    await expect.poll(() => ks.count('/jwks')).toBe(2);
    const t2 = await sign(k2, { iss: issuer });
    const err = await v.verifyAccessToken(t2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifierUnavailableError);
    expect((err as VerifierUnavailableError).code).toBe('ERR_VERIFIER_UNAVAILABLE');
    expect((err as VerifierUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await expect(v.verifyAccessToken(t1)).resolves.toBeDefined();
    expect(await v.verifyToken(t2)).toBeNull();
    // After the cooldown, the next unknown kid refetches: the endpoint is back.
    ks.override = undefined;
    ks.keys = [k1, k2];
    c.advance(30_000);
    await expect(v.verifyAccessToken(t2)).resolves.toBeDefined();
    // A fresh set after the TTL refreshes in the background and still verifies meanwhile.
    c.advance(600_000);
    await expect(v.verifyAccessToken(t2)).resolves.toBeDefined();
    await expect.poll(() => ks.count('/jwks')).toBe(4);
  });

  it.each([
    ['malformed JSON', { status: 200, body: '{"keys": [' }],
    ['not an object', { status: 200, body: '[1,2]' }],
    ['no keys array', { status: 200, body: '{"keys": 1}' }],
    ['a non-JWK member', { status: 200, body: '{"keys": [1]}' }],
    ['huge', { status: 200, body: JSON.stringify({ keys: [], pad: 'x'.repeat(70_000) }) }],
    ['a redirect', { status: 302, body: '', headers: { location: 'https://evil.example/jwks' } }],
  ])('a cold %s JWKS is 503 and cooled down', async (_name, override) => {
    reset([k1]);
    ks.override = override;
    const c = clock();
    const v = verifier(c);
    const token = await sign(k1, { iss: issuer });
    await expect(v.verifyAccessToken(token)).rejects.toBeInstanceOf(VerifierUnavailableError);
    await expect(v.verifyAccessToken(token)).rejects.toBeInstanceOf(VerifierUnavailableError);
    expect(ks.count('/jwks')).toBe(1);
    ks.override = undefined;
    c.advance(30_000);
    await expect(v.verifyAccessToken(token)).resolves.toBeDefined();
  });

  it('a slow JWKS is 503 after timeoutMs', async () => {
    reset([k1]);
    const slow = await startKeyServer();
    const hang = new JwtTokenVerifier({
      issuer,
      jwksUri: `${slow.origin}/hang`,
      serverUrl: SERVER_URL,
      logger: silentLogger,
      timeoutMs: 100,
    });
    const token = await sign(k1, { iss: issuer });
    await expect(hang.verifyAccessToken(token)).rejects.toBeInstanceOf(VerifierUnavailableError);
    await hang.close();
    await slow.close();
  });

  it('metadata naming an unsafe jwks_uri is 503 and no request goes there', async () => {
    reset([k1]);
    ks.metadata = { issuer, jwks_uri: 'http://169.254.169.254/latest/meta-data' };
    const v = new JwtTokenVerifier({ issuer, serverUrl: SERVER_URL, logger: silentLogger });
    const token = await sign(k1, { iss: issuer });
    const err = await v.verifyAccessToken(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifierUnavailableError);
    expect((err as Error).cause).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    await v.close();
  });

  it('metadata for another issuer is refused', async () => {
    reset([k1]);
    ks.metadata = { issuer: 'https://other.example', jwks_uri: ks.jwksUri };
    const v = new JwtTokenVerifier({ issuer, serverUrl: SERVER_URL, logger: silentLogger });
    const err = await v.verifyAccessToken(await sign(k1, { iss: issuer })).catch((e: unknown) => e);
    expect((err as Error).cause).toMatchObject({ code: 'ERR_METADATA_INVALID' });
    ks.metadata = { issuer };
    const v2 = new JwtTokenVerifier({ issuer, serverUrl: SERVER_URL, logger: silentLogger });
    const err2 = await v2
      .verifyAccessToken(await sign(k1, { iss: issuer }))
      .catch((e: unknown) => e);
    expect((err2 as Error).cause).toMatchObject({ code: 'ERR_METADATA_INVALID' });
  });

  it('keys stay bound to the issuer whose JWKS served them', async () => {
    reset([k1]);
    const other = await startKeyServer();
    other.keys = [k2];
    const a = issuer;
    const b = `${other.origin}/tenant`;
    other.metadata = undefined;
    const v = new JwtTokenVerifier({
      issuer: [a, b],
      serverUrl: SERVER_URL,
      logger: silentLogger,
      now: clock().now,
    });
    ks.metadata = { issuer: a, jwks_uri: ks.jwksUri };
    // b serves RFC 8414 path-inserted metadata only through a custom server: use jwksUri map
    // by pointing b's openid-configuration at its JWKS.
    other.metadata = { issuer: b, jwks_uri: other.jwksUri };
    // A token claiming issuer a signed with b's key is refused even though b's set has it.
    const forged = await sign(k2, { iss: a });
    await expect(v.verifyAccessToken(forged)).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(v.verifyAccessToken(await sign(k1, { iss: a }))).resolves.toBeDefined();
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: 'https://x.example' })),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    await other.close();
  });

  it('a predicate issuer uses jwksUri and checks iss with the function', async () => {
    reset([k1]);
    const v = verifier(clock(), {
      issuer: (iss) => iss.startsWith('https://login.example/'),
      cache: false,
    });
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: 'https://login.example/t1/v2.0' })),
    ).resolves.toMatchObject({ extra: { issuer: 'https://login.example/t1/v2.0' } });
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: 'https://evil.example/' })),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
  });
});
