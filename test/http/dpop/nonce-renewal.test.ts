/**
 * RFC 9449 §8.2: a proof whose server nonce is from the previous window still passes, and the
 * pass hands the client the current nonce (`headers` on the gate's ok result) so it switches
 * before its nonce expires; a current nonce, nonces off, or the Bearer scheme add nothing.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { calculateJwkThumbprint } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BearerAuthOptions, createBearerGate } from '../../../src/http/bearer.js';
import { createNonceSource } from '../../../src/http/dpop/nonce.js';
import { mergeHeaderLists, withPassHeaders } from '../../../src/http/response-headers.js';
import { type ProofKey, proofKey, signProof } from './_proofs.js';

const TTL = 60_000;
const START = 1_800_000_000_000;
const SECRET = 'n'.repeat(32);
const HTU = 'https://mcp.example.com/mcp';

let key: ProofKey;
let jkt: string;
beforeAll(async () => {
  key = await proofKey('ES256');
  jkt = await calculateJwkThumbprint(key.jwk, 'sha256');
});

function gateAt(dpop: BearerAuthOptions['dpop']) {
  const clock = { t: START };
  const verifier = {
    verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
      token,
      clientId: 'c',
      scopes: [],
      extra: { claims: token === 'bound' ? { cnf: { jkt } } : {} },
    }),
  };
  const gate = createBearerGate({ verifier, serverUrl: HTU, now: () => clock.t, dpop });
  const send = async (nonce?: string) =>
    gate({
      authorization: 'DPoP bound',
      dpop: await signProof(key, {
        iat: clock.t / 1000,
        htu: HTU,
        token: 'bound',
        ...(nonce === undefined ? {} : { nonce }),
      }),
      method: 'POST',
      path: '/mcp',
    });
  const freshNonce = async () => {
    const refused = await send();
    if (refused.ok) throw new Error('passed without a nonce');
    return refused.response.headers['DPoP-Nonce'] as string;
  };
  return { clock, gate, send, freshNonce };
}

describe('the nonce source tells a current nonce from the previous window’s', () => {
  it('check(): current, previous, then refused', () => {
    let t = START;
    const source = createNonceSource(SECRET, TTL, () => t);
    const nonce = source.current();
    expect(source.check(nonce)).toBe('current');
    t += TTL;
    expect(source.check(nonce)).toBe('previous');
    expect(source.accepts(nonce)).toBe(true);
    t += TTL;
    expect(source.check(nonce)).toBeUndefined();
    expect(source.check('bogus')).toBeUndefined();
  });
});

describe('a fresh DPoP-Nonce on a successful response (RFC 9449 §8.2)', () => {
  it('previous window: passes with DPoP-Nonce = the nonce a fresh 401 gives, exposed', async () => {
    const { clock, send, freshNonce } = gateAt({ nonce: { secret: SECRET, ttlMs: TTL } });
    const old = await freshNonce();
    clock.t += TTL;
    const passed = await send(old);
    if (!passed.ok) throw new Error(`refused: ${passed.response.error}`);
    const fresh = await freshNonce();
    expect(fresh).not.toBe(old);
    expect(passed.headers).toEqual({
      'DPoP-Nonce': fresh,
      'Access-Control-Expose-Headers': 'DPoP-Nonce',
    });
  });

  it('current window: passes with no header', async () => {
    const { send, freshNonce } = gateAt({ nonce: { secret: SECRET, ttlMs: TTL } });
    const passed = await send(await freshNonce());
    expect(passed.ok).toBe(true);
    expect(passed).not.toHaveProperty('headers');
  });

  it('nonces off: a DPoP pass has no header', async () => {
    const { send } = gateAt({});
    const passed = await send();
    expect(passed.ok).toBe(true);
    expect(passed).not.toHaveProperty('headers');
  });

  it('Bearer with nonces on: no header', async () => {
    const { gate } = gateAt({ nonce: { secret: SECRET, ttlMs: TTL } });
    const passed = await gate({ authorization: 'Bearer plain', method: 'POST', path: '/mcp' });
    expect(passed.ok).toBe(true);
    expect(passed).not.toHaveProperty('headers');
  });

  it('a refused stale-nonce proof hands out no renewal (only the 401 nonce)', async () => {
    const { clock, gate, freshNonce } = gateAt({ nonce: { secret: SECRET, ttlMs: TTL } });
    const old = await freshNonce();
    clock.t += TTL;
    const proof = await signProof(key, {
      iat: clock.t / 1000,
      htu: HTU,
      token: 'bound',
      nonce: old,
    });
    const request = { authorization: 'DPoP bound', dpop: proof, method: 'POST', path: '/mcp' };
    expect((await gate(request)).ok).toBe(true);
    const replayed = await gate(request);
    expect(replayed).toMatchObject({ ok: false, response: { error: 'invalid_dpop_proof' } });
    if (!replayed.ok) expect(replayed.response.headers).not.toHaveProperty('DPoP-Nonce');
  });
});

describe('applying the pass headers', () => {
  it('merges Access-Control-Expose-Headers lists, each name once', () => {
    expect(mergeHeaderLists(undefined, 'DPoP-Nonce')).toBe('DPoP-Nonce');
    expect(mergeHeaderLists('', 'DPoP-Nonce')).toBe('DPoP-Nonce');
    expect(mergeHeaderLists('Mcp-Session-Id', 'DPoP-Nonce')).toBe('Mcp-Session-Id, DPoP-Nonce');
    expect(mergeHeaderLists(['A', 'dpop-nonce'], 'DPoP-Nonce')).toBe('A, dpop-nonce');
    expect(mergeHeaderLists('A,, B ', 'C')).toBe('A, B, C');
  });

  it('fetch: sets headers on a mutable Response, copies an immutable one', async () => {
    const headers = { 'DPoP-Nonce': 'n1', 'Access-Control-Expose-Headers': 'DPoP-Nonce' };
    const mutable = new Response('ok', {
      headers: { 'Access-Control-Expose-Headers': 'Mcp-Session-Id' },
    });
    expect(withPassHeaders(mutable, headers)).toBe(mutable);
    expect(mutable.headers.get('dpop-nonce')).toBe('n1');
    expect(mutable.headers.get('access-control-expose-headers')).toBe('Mcp-Session-Id, DPoP-Nonce');
    const immutable = Response.redirect('https://mcp.example.com/elsewhere', 307);
    expect(() => immutable.headers.set('x', 'y')).toThrow();
    const copy = withPassHeaders(immutable, headers);
    expect(copy).not.toBe(immutable);
    expect(copy.status).toBe(307);
    expect(copy.headers.get('location')).toBe('https://mcp.example.com/elsewhere');
    expect(copy.headers.get('dpop-nonce')).toBe('n1');
  });
});
