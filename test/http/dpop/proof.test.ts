import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DpopProofError } from '../../../src/http/dpop/errors.js';
import { resolveDpopOptions } from '../../../src/http/dpop/options.js';
import { htuForm, verifyDpopProof } from '../../../src/http/dpop/proof.js';
import { type ProofKey, proofKey, signProof } from './_proofs.js';

const NOW = 1_800_000_000_000;
const now = () => NOW;
const iat = NOW / 1000;
const URL_ = 'http://127.0.0.1:3000/mcp';
const request = (proof: string | string[] | undefined, extra: object = {}) => ({
  proof,
  method: 'POST',
  url: URL_,
  accessToken: 'tok',
  ...extra,
});
const options = (extra: object = {}) => resolveDpopOptions({ ...extra }, now)!;

async function refused(proof: string | string[] | undefined, extra: object = {}, o = options()) {
  const err = await verifyDpopProof(request(proof, extra), o, now).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DpopProofError);
  return err as DpopProofError;
}

let es: ProofKey;
beforeAll(async () => {
  es = await proofKey('ES256');
});

describe('verifyDpopProof (RFC 9449 §4.3)', () => {
  it('accepts a valid proof for every default algorithm and returns the key thumbprint', async () => {
    for (const alg of ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519']) {
      const key =
        alg === 'EdDSA' ? { ...(await proofKey('Ed25519')), alg: 'EdDSA' } : await proofKey(alg);
      const result = await verifyDpopProof(request(await signProof(key, { iat })), options(), now);
      expect(result.jkt).toBe(await calculateJwkThumbprint(key.jwk, 'sha256'));
    }
  });

  it('needs exactly one DPoP header', async () => {
    const proof = await signProof(es, { iat });
    expect((await refused(undefined)).message).toMatch(/required/);
    expect((await refused([])).message).toMatch(/Exactly one/);
    expect((await refused([proof, proof])).message).toMatch(/Exactly one/);
    expect((await refused('not a jwt')).message).toMatch(/compact JWS/);
    expect((await refused(`${proof}.x.y`)).message).toMatch(/compact JWS/);
    expect((await refused(`a.${'b'.repeat(9000)}.c`)).message).toMatch(/too large/);
  });

  it('refuses a wrong typ, a missing or disallowed alg, a missing jwk, crit', async () => {
    expect((await refused(await signProof(es, { iat, header: { typ: 'JWT' } }))).message).toMatch(
      /typ/,
    );
    expect(
      (await refused(await signProof(es, { iat, header: { typ: undefined } }))).message,
    ).toMatch(/typ/);
    expect(
      (await refused(await signProof(es, { iat, header: { jwk: undefined } }))).message,
    ).toMatch(/jwk/);
    const crit = await signProof(es, {
      iat,
      header: { crit: ['x'], x: 1 },
      payload: { exp: iat + 60 },
    });
    expect((await refused(crit)).message).toMatch(/crit/);
    const rs = await proofKey('RS256');
    const only = options({ algorithms: ['ES256'] });
    expect((await refused(await signProof(rs, { iat }), {}, only)).message).toMatch(/algorithm/);
  });

  it('refuses alg none and HMAC proofs', async () => {
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = enc({ htm: 'POST', htu: URL_, iat, jti: 'x', ath: 'y' });
    const none = `${enc({ alg: 'none', typ: 'dpop+jwt', jwk: es.jwk })}.${body}.`;
    expect(await refused(none)).toBeInstanceOf(DpopProofError);
    const hs = await new SignJWT({ htm: 'POST', htu: URL_, jti: 'h', ath: 'y' })
      .setProtectedHeader({
        alg: 'HS256',
        typ: 'dpop+jwt',
        jwk: { kty: 'oct', k: 'c2VjcmV0' },
      } as never)
      .setIssuedAt(iat)
      .sign(new TextEncoder().encode('secret'));
    expect((await refused(hs)).message).toMatch(/algorithm/);
  });

  it('refuses a private key in jwk, and a signature by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const withPrivate = await signProof({ ...es, jwk: privateJwk }, { iat });
    expect((await refused(withPrivate)).message).toMatch(/signature or key/);
    const other = await proofKey('ES256');
    const forged = await signProof({ ...other, jwk: es.jwk }, { iat });
    expect((await refused(forged)).message).toMatch(/signature or key/);
    const good = await signProof(es, { iat });
    const [h, p, s] = good.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ htm: 'GET' })).toString('base64url')}.${s}`;
    expect(await refused(tampered)).toBeInstanceOf(DpopProofError);
    expect(p).not.toBe('');
  });

  it('checks htm and htu (no query or fragment; normalised scheme, host and default port)', async () => {
    expect((await refused(await signProof(es, { iat, htm: 'GET' }))).message).toMatch(/htm/);
    expect((await refused(await signProof(es, { iat, htm: 'post' }))).message).toMatch(/htm/);
    for (const htu of [
      'http://127.0.0.1:3000/other',
      'https://127.0.0.1:3000/mcp',
      'http://127.0.0.1:3001/mcp',
      'http://user@127.0.0.1:3000/mcp',
      'ftp://127.0.0.1:3000/mcp',
      '/mcp',
    ]) {
      expect((await refused(await signProof(es, { iat, htu }))).message).toMatch(/htu/);
    }
    const ok = await signProof(es, { iat, htu: 'HTTP://127.0.0.1:3000/mcp?x=1#f' });
    await expect(verifyDpopProof(request(ok), options(), now)).resolves.toBeDefined();
    expect(await refused(await signProof(es, { iat, payload: { htu: 5 } }))).toBeInstanceOf(
      DpopProofError,
    );
    expect(htuForm('https://h:443/a?b#c')).toBe('https://h/a');
  });

  it('checks iat within proofMaxAgeMs and at most 5 s ahead', async () => {
    const o = options({ proofMaxAgeMs: 60_000 });
    await expect(
      verifyDpopProof(request(await signProof(es, { iat: iat - 60 })), o, now),
    ).resolves.toBeDefined();
    expect((await refused(await signProof(es, { iat: iat - 61 }), {}, o)).message).toMatch(/iat/);
    await expect(
      verifyDpopProof(request(await signProof(es, { iat: iat + 5 })), o, now),
    ).resolves.toBeDefined();
    expect((await refused(await signProof(es, { iat: iat + 6 }), {}, o)).message).toMatch(/iat/);
  });

  it('checks ath against the access token, and needs a jti', async () => {
    expect((await refused(await signProof(es, { iat, token: 'other' }))).message).toMatch(/ath/);
    expect(
      (await refused(await signProof(es, { iat, payload: { ath: undefined } }))).message,
    ).toMatch(/ath/);
    expect(
      (await refused(await signProof(es, { iat, payload: { jti: undefined } }))).message,
    ).toMatch(/jti/);
    expect((await refused(await signProof(es, { iat, jti: 'j'.repeat(257) }))).message).toMatch(
      /jti/,
    );
  });

  it('refuses a replayed proof within the window, per key', async () => {
    const o = options();
    const proof = await signProof(es, { iat, jti: 'same' });
    await verifyDpopProof(request(proof), o, now);
    expect((await refused(proof, {}, o)).message).toMatch(/already used/);
    const other = await proofKey('ES256');
    await expect(
      verifyDpopProof(request(await signProof(other, { iat, jti: 'same' })), o, now),
    ).resolves.toBeDefined();
  });

  it('asks for a nonce (use_dpop_nonce + the nonce) and accepts the one it issued', async () => {
    const o = options({ nonce: { secret: 'x'.repeat(32) } });
    const err = await refused(await signProof(es, { iat }), {}, o);
    expect(err.dpopError).toBe('use_dpop_nonce');
    expect(err.nonce).toBe(o.nonce?.current());
    const bad = await refused(await signProof(es, { iat, nonce: 'bogus' }), {}, o);
    expect(bad.dpopError).toBe('use_dpop_nonce');
    await expect(
      verifyDpopProof(request(await signProof(es, { iat, nonce: err.nonce! })), o, now),
    ).resolves.toBeDefined();
  });
});
