import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { silentLogger } from '../../src/lib/logger.js';

export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function makeKey(kid: string, alg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

/** A loopback server publishing metadata and a JWKS we control, counting requests. */
export interface KeyServer {
  readonly origin: string;
  readonly jwksUri: string;
  keys: TestKey[];
  /** Replaces the JWKS answer: status and raw body. */
  override: { status: number; body: string; headers?: Record<string, string> } | undefined;
  /** Metadata document override (for the openid-configuration path). */
  metadata: Record<string, unknown> | undefined;
  readonly hits: Map<string, number>;
  count(path: string): number;
  close(): Promise<void>;
}

export async function startKeyServer(): Promise<KeyServer> {
  const hits = new Map<string, number>();
  let server: Server | undefined;
  const state: KeyServer = {
    origin: '',
    jwksUri: '',
    keys: [],
    override: undefined,
    metadata: undefined,
    hits,
    count: (path) => hits.get(path) ?? 0,
    close: async () => {
      server?.closeAllConnections();
      server?.close();
      if (server) await once(server, 'close');
    },
  };
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/hang') return; // never answers: a slow key server
    if (path === '/jwks') {
      if (state.override) {
        res.writeHead(state.override.status, state.override.headers ?? {});
        res.end(state.override.body);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
      return;
    }
    if (path === '/.well-known/openid-configuration' && state.metadata) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(state.metadata));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  Object.assign(state, {
    origin: `http://127.0.0.1:${port}`,
    jwksUri: `http://127.0.0.1:${port}/jwks`,
  });
  return state;
}

export const SERVER_URL = 'https://mcp.example.com/mcp';
export const NOW_MS = 1_900_000_000_000;

export function sign(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const nowS = Math.floor(NOW_MS / 1000);
  const payload = {
    scope: 'read write',
    client_id: 'c1',
    iat: nowS,
    exp: nowS + 3600,
    aud: SERVER_URL,
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

export function clock(start = NOW_MS) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

export { silentLogger };
