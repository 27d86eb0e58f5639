/**
 * The gateway with DPoP nonces (RFC 9449 §8.2): a proof carrying the previous window's nonce is
 * forwarded, and the client gets the current nonce on the upstream's answer (the gate's
 * `DPoP-Nonce` is the only one: the upstream's is dropped; the exposed lists are merged);
 * nothing of it goes upstream. Real HTTP on 127.0.0.1, tokens from oidc-provider, real clock:
 * the previous window's nonce is minted with the shared secret.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { createNonceSource } from '../../src/http/dpop/nonce.js';
import { silentLogger } from '../../src/lib/logger.js';
import { type ProofKey, signProof } from '../http/dpop/_proofs.js';
import { TEST_GATEWAY } from './_options.js';
import { type RealTokens, startRealTokens } from './_tokens.js';

const SECRET = 'g'.repeat(32);
const TTL = 3_600_000;
const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

let tokens: RealTokens;
let key: ProofKey;
let bound: string;
let plain: string;
let upstream: Server;
const upstreamSaw: IncomingHttpHeaders[] = [];

const previousNonce = () => createNonceSource(SECRET, TTL, () => Date.now() - TTL).current();

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The public URL differs from the listening address, as behind a proxy: `htu` names it. */
const PUBLIC_URL = 'https://mcp.example.com/mcp';

async function startGateway(nonce: boolean): Promise<{ gateway: Gateway; url: string }> {
  const gateway = createGateway({
    upstreamUrl: `${await upstreamOrigin}/mcp`,
    publicUrl: PUBLIC_URL,
    verifier: tokens.verifier(PUBLIC_URL),
    ...TEST_GATEWAY,
    dpop: 'allowed',
    dpopNonce: nonce ? { secret: SECRET, ttlMs: TTL } : undefined,
    logger: silentLogger,
  });
  const { port } = await gateway.listen(0, '127.0.0.1');
  return { gateway, url: `http://127.0.0.1:${port}/mcp` };
}

let upstreamOrigin: Promise<string>;
let withNonces: { gateway: Gateway; url: string };
let without: { gateway: Gateway; url: string };

beforeAll(async () => {
  tokens = await startRealTokens();
  ({ token: bound, key } = await tokens.bound(PUBLIC_URL));
  plain = await tokens.bearer(PUBLIC_URL);
  upstream = createServer((req, res) => {
    upstreamSaw.push(req.headers);
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'access-control-expose-headers': 'Mcp-Session-Id',
      'dpop-nonce': 'from-the-upstream',
    });
    res.end('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}');
  });
  upstreamOrigin = listen(upstream);
  await upstreamOrigin;
  withNonces = await startGateway(true);
  without = await startGateway(false);
});

afterAll(async () => {
  await withNonces?.gateway.close();
  await without?.gateway.close();
  upstream.closeAllConnections();
  upstream.close();
  await tokens?.close();
});

async function post(url: string, auth: 'bound' | 'plain', nonce?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: auth === 'bound' ? `DPoP ${bound}` : `Bearer ${plain}`,
  };
  if (auth === 'bound') {
    headers.dpop = await signProof(key, {
      htu: PUBLIC_URL,
      token: bound,
      ...(nonce === undefined ? {} : { nonce }),
    });
  }
  const response = await fetch(url, { method: 'POST', headers, body: BODY });
  return { response, body: await response.text() };
}

describe('gateway: DPoP-Nonce on a forwarded answer (RFC 9449 §8.2)', () => {
  it('previous window’s nonce: the upstream answers, the client gets the current nonce', async () => {
    const before = upstreamSaw.length;
    const { response, body } = await post(withNonces.url, 'bound', previousNonce());
    expect(response.status).toBe(200);
    expect(body).toContain('"tools"');
    const fresh = (await post(withNonces.url, 'bound')).response;
    expect(fresh.status).toBe(401);
    expect(response.headers.get('dpop-nonce')).toBe(fresh.headers.get('dpop-nonce'));
    const exposed = response.headers.get('access-control-expose-headers') ?? '';
    expect(exposed.split(/\s*,\s*/).sort()).toEqual(['DPoP-Nonce', 'Mcp-Session-Id']);
    expect(upstreamSaw.length).toBe(before + 1);
    const sent = upstreamSaw[before] as IncomingHttpHeaders;
    expect(sent['dpop-nonce']).toBeUndefined();
    expect(sent.dpop).toBeUndefined();
  });

  it('current nonce, Bearer, or nonces off: no DPoP-Nonce (the upstream’s is dropped)', async () => {
    const current = createNonceSource(SECRET, TTL, Date.now).current();
    for (const { response } of [
      await post(withNonces.url, 'bound', current),
      await post(withNonces.url, 'plain'),
      await post(without.url, 'bound'),
    ]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('dpop-nonce')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBe('Mcp-Session-Id');
    }
  });
});
