import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifierUnavailableError } from '../../src/errors.js';
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
const nowS = Math.floor(NOW_MS / 1000);

beforeAll(async () => {
  ks = await startKeyServer();
  [k1, k2] = await Promise.all([makeKey('k1'), makeKey('k2')]);
});
afterAll(() => ks.close());

function verifier(c: ReturnType<typeof clock>, extra: Partial<JwtTokenVerifierOptions> = {}) {
  return new JwtTokenVerifier({
    issuer: ks.origin,
    jwksUri: ks.jwksUri,
    serverUrl: SERVER_URL,
    now: c.now,
    logger: silentLogger,
    ...extra,
  });
}

describe('JwtTokenVerifier verdict cache', () => {
  it('reuses a verdict without verifying again, never past exp', async () => {
    ks.keys = [k1];
    const c = clock();
    const v = verifier(c, { clockSkewMs: 0 });
    const token = await sign(k1, { iss: ks.origin, exp: nowS + 30 });
    const first = await v.verifyToken(token);
    ks.keys = [];
    expect(await v.verifyToken(token)).toBe(first);
    c.advance(30_000);
    await expect(v.verifyAccessToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('keeps a verdict for ttlMs at most', async () => {
    ks.keys = [k1];
    const c = clock();
    const v = verifier(c, { cache: { ttlMs: 1000 } });
    const token = await sign(k1, { iss: ks.origin });
    const first = await v.verifyToken(token);
    c.advance(1000);
    const second = await v.verifyToken(token);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });
});

describe('JwtTokenVerifier edge cases', () => {
  it('no kid and several keys: each candidate is tried', async () => {
    const a = { ...k1, jwk: { ...k1.jwk, kid: undefined } };
    const b = { ...k2, jwk: { ...k2.jwk, kid: undefined } };
    ks.keys = [a, b];
    const v = verifier(clock(), { cache: false });
    await expect(
      v.verifyAccessToken(await sign(k2, { iss: ks.origin }, { kid: undefined })),
    ).resolves.toBeDefined();
    const stranger = await makeKey('x');
    await expect(
      v.verifyAccessToken(await sign(stranger, { iss: ks.origin }, { kid: undefined })),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
  });

  it('a private key or an unimportable key in the JWKS is a rejection', async () => {
    const { exportJWK } = await import('jose');
    const priv = {
      ...k1,
      kid: 'p',
      jwk: { ...(await exportJWK(k1.privateKey)), kid: 'p', alg: 'ES256' },
    };
    const broken = { ...k1, kid: 'b', jwk: { ...k1.jwk, kid: 'b', x: 'AAAA' } };
    ks.keys = [priv, broken];
    const v = verifier(clock(), { cache: false });
    await expect(v.verifyAccessToken(await sign(priv, { iss: ks.origin }))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    await expect(v.verifyAccessToken(await sign(broken, { iss: ks.origin }))).rejects.toMatchObject(
      {
        code: 'ERR_TOKEN_INACTIVE',
      },
    );
  });

  it('several issuers: a payload that is not JSON is malformed', async () => {
    const v = verifier(clock(), { issuer: [ks.origin, 'https://b.example'] });
    const header = Buffer.from('{"alg":"ES256"}').toString('base64url');
    const payload = Buffer.from('not json').toString('base64url');
    await expect(v.verifyAccessToken(`${header}.${payload}.c2ln`)).rejects.toMatchObject({
      code: 'ERR_TOKEN_MALFORMED',
    });
  });

  it('an HTTP client failing with odd errors is 503, and tokenType any skips typ', async () => {
    for (const failure of [new Error('boom'), 'text']) {
      const v = verifier(clock(), {
        tokenType: 'any',
        httpClient: { request: () => Promise.reject(failure), close: async () => {} },
      });
      const token = await sign(k1, { iss: ks.origin }, { typ: 'JWT' });
      await expect(v.verifyAccessToken(token)).rejects.toBeInstanceOf(VerifierUnavailableError);
      await v.close();
    }
  });
});
