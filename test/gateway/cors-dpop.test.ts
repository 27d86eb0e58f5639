/**
 * CORS with DPoP nonces (RFC 9449 §8) over real HTTP on 127.0.0.1: the gate's own exposed list
 * (`WWW-Authenticate, DPoP-Nonce` on a `use_dpop_nonce` refusal, `DPoP-Nonce` on a pass) is merged
 * with the gateway's CORS list, not written over it, so a browser reads the nonce and the session.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { createNonceSource } from '../../src/http/dpop/nonce.js';
import { silentLogger } from '../../src/lib/logger.js';
import { type ProofKey, signProof } from '../http/dpop/_proofs.js';
import { TEST_GATEWAY } from './_options.js';
import { type RealTokens, startRealTokens } from './_tokens.js';

const APP = 'https://app.example.com';
const SECRET = 'c'.repeat(32);
const TTL = 3_600_000;
const PUBLIC_URL = 'https://mcp.example.com/mcp';

let tokens: RealTokens;
let key: ProofKey;
let bound: string;
let upstream: Server;
let gateway: Gateway;
let url: string;

const previousNonce = () => createNonceSource(SECRET, TTL, () => Date.now() - TTL).current();

function post(nonce: string | undefined, proof: string) {
  const headers = {
    origin: APP,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `DPoP ${bound}`,
    dpop: proof,
  };
  return new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: nonce === undefined ? 1 : 2, method: 'ping' }));
  });
}

const exposed = (headers: IncomingHttpHeaders) =>
  String(headers['access-control-expose-headers'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());

beforeAll(async () => {
  tokens = await startRealTokens();
  ({ token: bound, key } = await tokens.bound(PUBLIC_URL));
  upstream = createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'mcp-session-id': 's-1',
      'access-control-expose-headers': 'X-Up',
    });
    res.end('{"jsonrpc":"2.0","id":2,"result":{}}');
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  gateway = createGateway({
    upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`,
    publicUrl: PUBLIC_URL,
    verifier: tokens.verifier(PUBLIC_URL),
    ...TEST_GATEWAY,
    dpop: 'allowed',
    dpopNonce: { secret: SECRET, ttlMs: TTL },
    corsOrigin: [APP],
    logger: silentLogger,
  });
  const { port } = await gateway.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${port}/mcp`;
});

afterAll(async () => {
  await gateway?.close();
  upstream.closeAllConnections();
  upstream.close();
  await tokens?.close();
});

describe('gateway CORS with DPoP nonces', () => {
  it('use_dpop_nonce refusal: the nonce and the challenge readable, the lists merged', async () => {
    const got = await post(undefined, await signProof(key, { htu: PUBLIC_URL, token: bound }));
    expect(got.status).toBe(401);
    expect(got.headers['www-authenticate']).toContain('use_dpop_nonce');
    expect(got.headers['dpop-nonce']).toBeDefined();
    expect(got.headers['access-control-allow-origin']).toBe(APP);
    expect(exposed(got.headers)).toEqual(
      expect.arrayContaining(['www-authenticate', 'dpop-nonce', 'mcp-session-id']),
    );
  });

  it('a pass with the previous nonce: fresh nonce, session and upstream list all exposed', async () => {
    const nonce = previousNonce();
    const proof = await signProof(key, { htu: PUBLIC_URL, token: bound, nonce });
    const got = await post(nonce, proof);
    expect(got.status).toBe(200);
    expect(got.headers['dpop-nonce']).toBeDefined();
    expect(got.headers['access-control-allow-origin']).toBe(APP);
    const names = exposed(got.headers);
    expect(names).toEqual(
      expect.arrayContaining(['dpop-nonce', 'mcp-session-id', 'www-authenticate', 'x-up']),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});
