/**
 * DPoP end to end (RFC 9449): oidc-provider issues DPoP-bound tokens (JWT behind Express,
 * introspected behind `node:http` and fetch) to an `oauth4webapi` client, which calls a protected
 * MCP server through each adapter; the SDK's MCP client runs over the same DPoP fetch. Every
 * attack is refused and the tool never runs.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportJWK, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { parseWwwAuthenticateList } from '../helpers/www-authenticate.js';
import { type ProofKey, type ProofSpec, signProof } from '../http/dpop/_proofs.js';
import { type DpopClient, dpopClient } from './dpop/client.js';
import {
  type AdapterKind,
  type DpopResource,
  rawPost,
  startDpopResource,
} from './dpop/resource.js';

let as: AuthServer;
const jwtResources = new Set<string>();

beforeAll(async () => {
  as = await startAuthServer({
    scopes: ['read', 'write'],
    dpop: true,
    jwtResources: (r) => jwtResources.has(r),
  });
});
afterAll(async () => {
  await as.close();
});

function verifierFor(kind: AdapterKind) {
  return (url: string) => {
    if (kind === 'express') {
      jwtResources.add(url);
      return new JwtTokenVerifier({ issuer: as.issuer, serverUrl: url, logger: silentLogger });
    }
    return new IntrospectionTokenVerifier({
      introspectionEndpoint: as.introspectionEndpoint,
      serverUrl: url,
      clientId: as.clients.basic.clientId,
      clientSecret: as.clients.basic.clientSecret,
      logger: silentLogger,
    });
  };
}

function challenges(res: { headers: Record<string, string | string[] | undefined> }) {
  return parseWwwAuthenticateList(String(res.headers['www-authenticate']));
}

async function keyOf(client: DpopClient): Promise<ProofKey> {
  return {
    alg: 'ES256',
    privateKey: client.keyPair.privateKey,
    jwk: await exportJWK(client.keyPair.publicKey),
  };
}

describe.each<AdapterKind>(['express', 'node', 'fetch'])('DPoP through the %s adapter', (kind) => {
  let allowed: DpopResource;
  let strict: DpopResource;
  let alice: DpopClient;
  let token: string;
  beforeAll(async () => {
    allowed = await startDpopResource(kind, verifierFor(kind), {});
    strict = await startDpopResource(kind, verifierFor(kind), { mode: 'required', nonce: true });
    alice = await dpopClient(as);
    token = await alice.token(allowed.url);
  });
  afterAll(async () => {
    await allowed.close();
    await strict.close();
  });

  it(`a bound ${kind === 'express' ? 'JWT' : 'introspected'} token reaches the tool with its binding`, async () => {
    if (kind === 'express') expect(token.split('.')).toHaveLength(3);
    const response = await alice.callTool(allowed.url, token);
    expect(response.status).toBe(200);
    const auth = allowed.seen.at(-1);
    expect(auth?.extra).toMatchObject({
      cnf: { jkt: alice.jkt },
      claims: { cnf: { jkt: alice.jkt } },
    });
  });

  it('the same token as Bearer: 401 invalid_token, DPoP advertised', async () => {
    const before = allowed.seen.length;
    const res = await rawPost(allowed.url, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    const [bearer, dpop] = challenges(res);
    expect(bearer).toMatchObject({ scheme: 'Bearer', params: { error: 'invalid_token' } });
    expect(dpop?.scheme).toBe('DPoP');
    expect(allowed.seen).toHaveLength(before);
  });

  it('a replayed proof is refused', async () => {
    const proof = await signProof(await keyOf(alice), { htu: allowed.url, token });
    const headers = { authorization: `DPoP ${token}`, dpop: proof };
    expect((await rawPost(allowed.url, headers)).status).toBe(200);
    const again = await rawPost(allowed.url, headers);
    expect(again.status).toBe(401);
    expect(challenges(again)[0]).toMatchObject({
      scheme: 'DPoP',
      params: { error: 'invalid_dpop_proof' },
    });
  });

  it('a proof by another key is refused (oauth4webapi sees the DPoP challenge)', async () => {
    const mallory = await dpopClient(as);
    const before = allowed.seen.length;
    const err = await mallory.callTool(allowed.url, token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (err as oauth.WWWAuthenticateChallengeError).cause[0];
    expect(challenge).toMatchObject({
      scheme: 'dpop',
      parameters: { error: 'invalid_dpop_proof' },
    });
    expect(challenge?.parameters.algs).toBe('ES256 RS256 PS256 EdDSA Ed25519');
    expect(allowed.seen).toHaveLength(before);
  });

  it('nonce flow: use_dpop_nonce first, the client retries once with DPoP-Nonce and passes', async () => {
    const bob = await dpopClient(as);
    const bound = await bob.token(strict.url);
    const err = await bob.callTool(strict.url, bound, { retry: false }).catch((e: unknown) => e);
    expect(oauth.isDPoPNonceError(err)).toBe(true);
    expect(
      (err as oauth.WWWAuthenticateChallengeError).response.headers.get('dpop-nonce'),
    ).toBeTruthy();
    expect(strict.seen).toHaveLength(0);
    expect((await bob.callTool(strict.url, bound, { retry: false })).status).toBe(200);
    expect(strict.seen.at(-1)?.extra).toMatchObject({ cnf: { jkt: bob.jkt } });
  });

  it("mode 'required' refuses an unbound Bearer token", async () => {
    const plain = await as.issueToken({ resource: strict.url, scope: 'read' });
    const res = await rawPost(strict.url, { authorization: `Bearer ${plain}` });
    expect(res.status).toBe(401);
    expect(challenges(res)[0]?.params.error).toBe('invalid_token');
  });

  it("the SDK's MCP client over oauth4webapi's DPoP fetch: initialize, tools/list, tools/call", async () => {
    const carol = await dpopClient(as);
    const bound = await carol.token(strict.url);
    const client = new Client({ name: 'dpop-sdk', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(strict.url), { fetch: carol.fetchWith(bound) }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami']);
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: as.clients.m2m.clientId }]);
      expect(strict.seen.at(-1)?.extra).toMatchObject({ cnf: { jkt: carol.jkt } });
    } finally {
      await client.close();
    }
  });

  describe('attacks: each refused with 401, the tool never runs', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const attacks: [string, (k: ProofKey) => Promise<Record<string, string | string[]>>, string][] =
      [
        [
          'htm mismatch',
          async (k) => ({ dpop: await proof(k, { htm: 'GET' }) }),
          'invalid_dpop_proof',
        ],
        [
          'htu: another path',
          async (k) => ({ dpop: await proof(k, { htu: `${allowed.url}/x` }) }),
          'invalid_dpop_proof',
        ],
        [
          'htu: another origin',
          async (k) => ({ dpop: await proof(k, { htu: 'https://mcp.example.com/mcp' }) }),
          'invalid_dpop_proof',
        ],
        [
          'stale iat',
          async (k) => ({ dpop: await proof(k, { iat: now() - 120 }) }),
          'invalid_dpop_proof',
        ],
        [
          'future iat',
          async (k) => ({ dpop: await proof(k, { iat: now() + 60 }) }),
          'invalid_dpop_proof',
        ],
        ['alg none', async (k) => ({ dpop: unsigned(k) }), 'invalid_dpop_proof'],
        ['HS256', async (k) => ({ dpop: await hmac(k) }), 'invalid_dpop_proof'],
        [
          'private key in jwk',
          async (k) => ({
            dpop: await proof(k, { header: { jwk: await exportJWK(alice.keyPair.privateKey) } }),
          }),
          'invalid_dpop_proof',
        ],
        [
          'wrong ath',
          async (k) => ({ dpop: await proof(k, { token: `${token}x` }) }),
          'invalid_dpop_proof',
        ],
        ['missing DPoP header', async () => ({}), 'invalid_dpop_proof'],
        [
          'two DPoP headers',
          async (k) => ({ dpop: [await proof(k), await proof(k)] }),
          'invalid_dpop_proof',
        ],
        [
          'token bound to another key',
          async () => ({ dpop: await proof(await keyOf(await dpopClient(as))) }),
          'invalid_dpop_proof',
        ],
      ];
    const proof = (k: ProofKey, spec: ProofSpec = {}) =>
      signProof(k, { htu: allowed.url, token, ...spec });
    const unsigned = (k: ProofKey) => {
      const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const payload = { htm: 'POST', htu: allowed.url, iat: now(), jti: crypto.randomUUID() };
      return `${b64({ alg: 'none', typ: 'dpop+jwt', jwk: k.jwk })}.${b64(payload)}.`;
    };
    const hmac = (k: ProofKey) =>
      new SignJWT({ htm: 'POST', htu: allowed.url, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: k.jwk })
        .setIssuedAt()
        .sign(new Uint8Array(32).fill(7));

    it.each(attacks)('%s', async (_name, headers, error) => {
      const before = allowed.seen.length;
      const res = await rawPost(allowed.url, {
        authorization: `DPoP ${token}`,
        ...(await headers(await keyOf(alice))),
      });
      expect(res.status).toBe(401);
      expect(challenges(res)[0]).toMatchObject({ scheme: 'DPoP', params: { error } });
      expect(JSON.parse(res.body)).toMatchObject({ error });
      expect(allowed.seen).toHaveLength(before);
    });

    it('an unbound token with the DPoP scheme: invalid_token', async () => {
      const plain = await as.issueToken({ resource: allowed.url, scope: 'read' });
      const res = await rawPost(allowed.url, {
        authorization: `DPoP ${plain}`,
        dpop: await signProof(await keyOf(alice), { htu: allowed.url, token: plain }),
      });
      expect(res.status).toBe(401);
      expect(challenges(res)[0]).toMatchObject({
        scheme: 'DPoP',
        params: { error: 'invalid_token' },
      });
    });
  });
});
