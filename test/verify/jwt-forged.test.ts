import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let attacker: TestKey;
let rsa: TestKey;
let v: JwtTokenVerifier;
let elsewhere: { url: string; sockets: number; close: () => Promise<void> };
const nowS = Math.floor(NOW_MS / 1000);

beforeAll(async () => {
  ks = await startKeyServer();
  [k1, attacker, rsa] = await Promise.all([makeKey('k1'), makeKey('k1'), makeKey('r1', 'RS256')]);
  ks.keys = [k1, rsa];
  v = new JwtTokenVerifier({
    issuer: ks.origin,
    jwksUri: ks.jwksUri,
    serverUrl: SERVER_URL,
    audience: 'api://app-id',
    now: clock().now,
    logger: silentLogger,
    cache: false,
  });
  let sockets = 0;
  const server = createServer((_req, res) => res.end('{"keys":[]}'));
  server.on('connection', () => {
    sockets += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  elsewhere = {
    url: `http://127.0.0.1:${port}/jwks`,
    get sockets() {
      return sockets;
    },
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
});
afterAll(async () => {
  await v.close();
  await ks.close();
  await elsewhere.close();
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function hmacWithPublicKey(): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(k1.jwk));
  const payload = { iss: ks.origin, aud: SERVER_URL, exp: nowS + 60 };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    .sign(secret);
}

describe('forged tokens', () => {
  it('accepts the genuine token (control)', async () => {
    await expect(v.verifyAccessToken(await sign(k1, { iss: ks.origin }))).resolves.toBeDefined();
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: ks.origin, aud: ['x', 'api://app-id'] })),
    ).resolves.toMatchObject({ resource: new URL(SERVER_URL) });
  });

  it.each<[string, () => Promise<string> | string, string]>([
    [
      'alg none',
      () => new UnsecuredJWT({ iss: ks.origin, aud: SERVER_URL, exp: nowS + 60 }).encode(),
      'ERR_TOKEN_MALFORMED',
    ],
    [
      'alg none with a fake signature',
      () =>
        `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ iss: ks.origin, exp: nowS + 60 })}.AAAA`,
      'ERR_TOKEN_MALFORMED',
    ],
    ['HMAC signed with the public key', hmacWithPublicKey, 'ERR_TOKEN_MALFORMED'],
    [
      'algorithm not allowed (ES384)',
      async () => sign(await makeKey('e384', 'ES384'), { iss: ks.origin }),
      'ERR_TOKEN_MALFORMED',
    ],
    ['wrong typ', () => sign(k1, { iss: ks.origin }, { typ: 'JWT' }), 'ERR_TOKEN_MALFORMED'],
    ['no typ', () => sign(k1, { iss: ks.origin }, { typ: undefined }), 'ERR_TOKEN_MALFORMED'],
    [
      'crit',
      () => sign(k1, { iss: ks.origin }, { crit: ['b64'], b64: true }),
      'ERR_TOKEN_MALFORMED',
    ],
    [
      'bad signature (attacker key, same kid)',
      () => sign(attacker, { iss: ks.origin }),
      'ERR_TOKEN_INACTIVE',
    ],
    ['wrong issuer', () => sign(k1, { iss: 'https://evil.example' }), 'ERR_TOKEN_INACTIVE'],
    [
      'wrong audience',
      () => sign(k1, { iss: ks.origin, aud: 'https://other.example/mcp' }),
      'ERR_TOKEN_AUDIENCE',
    ],
    [
      'audience path prefix trick',
      () => sign(k1, { iss: ks.origin, aud: 'https://mcp.example.com/mc' }),
      'ERR_TOKEN_AUDIENCE',
    ],
    ['expired', () => sign(k1, { iss: ks.origin, exp: nowS - 31 }), 'ERR_TOKEN_EXPIRED'],
    ['no exp', () => sign(k1, { iss: ks.origin, exp: undefined }), 'ERR_TOKEN_INACTIVE'],
    ['nbf in the future', () => sign(k1, { iss: ks.origin, nbf: nowS + 31 }), 'ERR_TOKEN_INACTIVE'],
    ['iat in the future', () => sign(k1, { iss: ks.origin, iat: nowS + 31 }), 'ERR_TOKEN_INACTIVE'],
    ['5-segment JWE', () => 'eyJhbGciOiJkaXIifQ..aaaa.bbbb.cccc', 'ERR_TOKEN_MALFORMED'],
    [
      'oversized',
      () => `${b64({ alg: 'ES256' })}.${'a'.repeat(16_400)}.sig`,
      'ERR_TOKEN_MALFORMED',
    ],
    ['not base64url', () => 'a.b c.d', 'ERR_TOKEN_MALFORMED'],
  ])('%s → 401 %s', async (_name, make, code) => {
    const token = await make();
    await expect(v.verifyAccessToken(token)).rejects.toMatchObject({ code });
    expect(await v.verifyToken(token)).toBeNull();
  });

  it('tolerates skew within clockSkewMs', async () => {
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: ks.origin, exp: nowS - 29 })),
    ).resolves.toBeDefined();
    await expect(
      v.verifyAccessToken(await sign(k1, { iss: ks.origin, nbf: nowS + 29 })),
    ).resolves.toBeDefined();
  });

  it.each([
    ['jku', () => ({ jku: elsewhere.url })],
    ['x5u', () => ({ x5u: elsewhere.url })],
    [
      'jwk',
      async () => ({ jwk: await exportJWK(attacker.privateKey).then(({ d: _d, ...pub }) => pub) }),
    ],
  ])('a %s header pointing elsewhere is never used (no request leaves)', async (_name, header) => {
    const before = ks.count('/jwks');
    const token = await sign(
      attacker,
      { iss: ks.origin },
      { kid: 'unknown-kid', ...(await header()) },
    );
    await expect(v.verifyAccessToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
    expect(elsewhere.sockets).toBe(0);
    expect(ks.count('/jwks')).toBeLessThanOrEqual(before + 1);
  });
});
