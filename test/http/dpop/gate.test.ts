import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenRejectedError } from '../../../src/errors.js';
import { parseAuthorizationHeader } from '../../../src/http/authorization-header.js';
import { type BearerAuthOptions, createBearerGate } from '../../../src/http/bearer.js';
import { authOutcomeOf } from '../../../src/telemetry/gate.js';
import { parseWwwAuthenticate, parseWwwAuthenticateList } from '../../helpers/www-authenticate.js';
import { type ProofKey, proofKey, signProof } from './_proofs.js';

const NOW = 1_800_000_000_000;
const iat = NOW / 1000;
const SERVER_URL = 'https://mcp.example.com/mcp';
const HTU = 'https://mcp.example.com/mcp';

let key: ProofKey;
let jkt: string;
beforeAll(async () => {
  key = await proofKey('ES256');
  jkt = await calculateJwkThumbprint(key.jwk, 'sha256');
});

function gateWith(dpop: BearerAuthOptions['dpop'] = {}, extra: Partial<BearerAuthOptions> = {}) {
  const seen: string[] = [];
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      seen.push(token);
      const claims =
        token === 'bound'
          ? { cnf: { jkt } }
          : token === 'other'
            ? { cnf: { jkt: 'x'.repeat(43) } }
            : {};
      if (token === 'dead') throw new TokenRejectedError('ERR_TOKEN_INACTIVE', 'inactive');
      return { token, clientId: 'c', scopes: ['read'], expiresAt: iat + 60, extra: { claims } };
    },
  };
  const gate = createBearerGate({
    verifier,
    serverUrl: SERVER_URL,
    now: () => NOW,
    dpop,
    ...extra,
  });
  return { gate, seen };
}

const request = (authorization: string | undefined, dpop?: string | string[], path = '/mcp') => ({
  authorization,
  dpop,
  method: 'POST',
  path,
});

describe('the gate with dpop on (RFC 9449 §7, DESIGN §6.2)', () => {
  it('no credentials: 401 with a Bearer and a DPoP challenge', async () => {
    const { gate } = gateWith();
    const result = await gate(request(undefined));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [bearer, dpop] = parseWwwAuthenticateList(result.response.headers['WWW-Authenticate']!);
    expect(bearer).toMatchObject({ scheme: 'Bearer' });
    expect(bearer?.params.error).toBeUndefined();
    expect(dpop).toMatchObject({
      scheme: 'DPoP',
      params: { algs: 'ES256 RS256 PS256 EdDSA Ed25519' },
    });
    expect(dpop?.params.resource_metadata).toContain('/.well-known/oauth-protected-resource/mcp');
    expect(authOutcomeOf(result)).toBe('missing_token');
  });

  it('accepts a bound token with a valid proof and shows the binding on extra.cnf', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'bound' });
    const result = await gate(request('DPoP bound', proof));
    expect(result).toMatchObject({
      ok: true,
      authInfo: { extra: { cnf: { jkt }, claims: { cnf: { jkt } } } },
    });
  });

  it('compares htu with the origin of serverUrl plus the path, without the query', async () => {
    const { gate } = gateWith();
    const internal = await signProof(key, { iat, htu: 'http://10.0.0.5:3000/mcp', token: 'bound' });
    expect((await gate(request('DPoP bound', internal))).ok).toBe(false);
    const good = await signProof(key, { iat, htu: HTU, token: 'bound' });
    expect((await gate(request('DPoP bound', good, '/mcp?x=1'))).ok).toBe(true);
    const sneaky = await signProof(key, { iat, htu: 'https://evil.example/x', token: 'bound' });
    expect((await gate(request('DPoP bound', sneaky, '//evil.example/x'))).ok).toBe(false);
  });

  it('a bound token sent as Bearer: 401 invalid_token, DPoP advertised', async () => {
    const { gate } = gateWith();
    const result = await gate(request('Bearer bound'));
    if (result.ok) throw new Error('passed');
    expect(result.response).toMatchObject({ status: 401, error: 'invalid_token' });
    const [bearer, dpop] = parseWwwAuthenticateList(result.response.challenge!);
    expect(bearer).toMatchObject({ scheme: 'Bearer', params: { error: 'invalid_token' } });
    expect(dpop?.scheme).toBe('DPoP');
  });

  it('an unbound token with the DPoP scheme: 401 invalid_token with a DPoP challenge', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'plain' });
    const result = await gate(request('DPoP plain', proof));
    if (result.ok) throw new Error('passed');
    expect(result.response).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(parseWwwAuthenticate(result.response.challenge!)).toMatchObject({
      scheme: 'DPoP',
      params: { error: 'invalid_token', algs: 'ES256 RS256 PS256 EdDSA Ed25519' },
    });
  });

  it('a token bound to another key: 401 invalid_dpop_proof', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'other' });
    const result = await gate(request('DPoP other', proof));
    expect(result).toMatchObject({
      ok: false,
      response: { status: 401, error: 'invalid_dpop_proof' },
    });
  });

  it('a bad proof: 401 DPoP error="invalid_dpop_proof", counted as such, token never verified', async () => {
    const { gate, seen } = gateWith();
    const proof = await signProof(key, { iat, htm: 'GET', htu: HTU, token: 'bound' });
    const result = await gate(request('DPoP bound', proof));
    if (result.ok) throw new Error('passed');
    expect(result.response.status).toBe(401);
    expect(parseWwwAuthenticate(result.response.challenge!)).toMatchObject({
      scheme: 'DPoP',
      params: { error: 'invalid_dpop_proof', algs: 'ES256 RS256 PS256 EdDSA Ed25519' },
    });
    expect(result.response.body).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(authOutcomeOf(result)).toBe('invalid_dpop_proof');
    expect(seen).toEqual([]);
  });

  it('the DPoP scheme without a proof, or with two: 401 invalid_dpop_proof', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'bound' });
    for (const dpop of [undefined, [], [proof, proof], `${proof}, ${proof}`]) {
      const result = await gate(request('DPoP bound', dpop));
      expect(result).toMatchObject({
        ok: false,
        response: { status: 401, error: 'invalid_dpop_proof' },
      });
    }
  });

  it('an inactive token with the DPoP scheme gets a DPoP invalid_token challenge', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'dead' });
    const result = await gate(request('DPoP dead', proof));
    if (result.ok) throw new Error('passed');
    expect(parseWwwAuthenticate(result.response.challenge!)).toMatchObject({
      scheme: 'DPoP',
      params: { error: 'invalid_token' },
    });
  });

  it("mode 'required': a Bearer token is refused before it is verified", async () => {
    const { gate, seen } = gateWith({ mode: 'required' });
    const result = await gate(request('Bearer plain'));
    expect(result).toMatchObject({ ok: false, response: { status: 401, error: 'invalid_token' } });
    expect(seen).toEqual([]);
    const proof = await signProof(key, { iat, htu: HTU, token: 'bound' });
    expect((await gate(request('DPoP bound', proof))).ok).toBe(true);
  });

  it("mode 'allowed': an unbound Bearer token still passes", async () => {
    const { gate } = gateWith();
    expect((await gate(request('Bearer plain'))).ok).toBe(true);
  });

  it('nonce: use_dpop_nonce + DPoP-Nonce (exposed to browsers), then the retry passes', async () => {
    const { gate } = gateWith({ nonce: { secret: 's'.repeat(32) } });
    const first = await gate(
      request('DPoP bound', await signProof(key, { iat, htu: HTU, token: 'bound' })),
    );
    if (first.ok) throw new Error('passed');
    const nonce = first.response.headers['DPoP-Nonce'];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.response.headers['Access-Control-Expose-Headers']).toContain('DPoP-Nonce');
    expect(parseWwwAuthenticate(first.response.challenge!).params.error).toBe('use_dpop_nonce');
    expect(authOutcomeOf(first)).toBe('invalid_dpop_proof');
    const retry = await signProof(key, { iat, htu: HTU, token: 'bound', nonce: nonce! });
    expect((await gate(request('DPoP bound', retry))).ok).toBe(true);
  });

  it('nonce rotation: a nonce lives through the next window, then use_dpop_nonce with a new one', async () => {
    let t = NOW;
    const verifier = {
      verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
        token,
        clientId: 'c',
        scopes: [],
        extra: { claims: { cnf: { jkt } } },
      }),
    };
    const gate = createBearerGate({
      verifier,
      serverUrl: SERVER_URL,
      now: () => t,
      dpop: { nonce: { secret: 'r'.repeat(32), ttlMs: 60_000 } },
    });
    const at = async (nonce?: string) =>
      gate(
        request(
          'DPoP bound',
          await signProof(key, {
            iat: t / 1000,
            htu: HTU,
            token: 'bound',
            ...(nonce ? { nonce } : {}),
          }),
        ),
      );
    const first = await at();
    if (first.ok) throw new Error('passed without a nonce');
    const nonce = first.response.headers['DPoP-Nonce']!;
    t += 60_000;
    expect((await at(nonce)).ok).toBe(true);
    t += 60_000;
    const stale = await at(nonce);
    if (stale.ok) throw new Error('stale nonce passed');
    expect(stale.response.error).toBe('use_dpop_nonce');
    const next = stale.response.headers['DPoP-Nonce']!;
    expect(next).not.toBe(nonce);
    expect((await at(next)).ok).toBe(true);
  });

  it('refuses a replayed proof', async () => {
    const { gate } = gateWith();
    const proof = await signProof(key, { iat, htu: HTU, token: 'bound' });
    expect((await gate(request('DPoP bound', proof))).ok).toBe(true);
    expect(await gate(request('DPoP bound', proof))).toMatchObject({
      ok: false,
      response: { error: 'invalid_dpop_proof', description: expect.stringMatching(/already used/) },
    });
  });

  it('with dpop off the DPoP scheme is a malformed request (400)', async () => {
    const { gate } = gateWith(false);
    const result = await gate(request('DPoP bound'));
    expect(result).toMatchObject({
      ok: false,
      response: { status: 400, error: 'invalid_request' },
    });
    const missing = await gate(request(undefined));
    if (missing.ok) throw new Error('passed');
    expect(missing.response.challenge).not.toContain('DPoP');
  });

  it('refuses options it cannot honour', () => {
    const verifier = { verifyAccessToken: async () => ({}) as AuthInfo };
    expect(() => createBearerGate({ verifier, dpop: {} })).toThrow(/serverUrl/);
    expect(() =>
      createBearerGate({ verifier, serverUrl: SERVER_URL, dpop: { mode: 'x' } as never }),
    ).toThrow(/mode/);
    expect(() =>
      createBearerGate({ verifier, serverUrl: SERVER_URL, dpop: { replay: true } as never }),
    ).toThrow(/Unknown "dpop" option/);
  });
});

describe('parseAuthorizationHeader with the DPoP scheme', () => {
  it('reads Bearer and DPoP in any case, once, and nothing else', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}=*$/);
    const scheme = fc.constantFrom('DPoP', 'dpop', 'DPOP', 'Bearer', 'bearer');
    fc.assert(
      fc.property(scheme, token, (s, t) => {
        const parsed = parseAuthorizationHeader(`${s} ${t}`);
        expect(parsed).toEqual({ kind: s.toLowerCase(), token: t });
        expect(parseAuthorizationHeader([`${s} ${t}`, `${s} ${t}`]).kind).toBe('malformed');
        expect(parseAuthorizationHeader(`${s} ${t}, ${s} ${t}`).kind).toBe('malformed');
      }),
    );
    expect(parseAuthorizationHeader('DPoPx tok').kind).toBe('malformed');
    expect(parseAuthorizationHeader('Basic dTpw').kind).toBe('malformed');
  });
});
