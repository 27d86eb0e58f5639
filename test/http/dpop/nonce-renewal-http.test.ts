/**
 * RFC 9449 §8.2 over real HTTP on 127.0.0.1, through each adapter: a proof carrying the previous
 * window's nonce gets a 200 whose `DPoP-Nonce` is the current nonce, exposed to browsers next to
 * what the response already exposes; a current nonce, nonces off, or Bearer get no header.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import express from 'express';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerAuth as expressGate } from '../../../src/adapters/express/bearer.js';
import { requireBearerAuth as fetchGate } from '../../../src/adapters/fetch/bearer.js';
import { requireBearerAuth as nodeGate } from '../../../src/adapters/node/bearer.js';
import type { DpopOptions } from '../../../src/http/dpop/options.js';
import { type ProofKey, proofKey, signProof } from './_proofs.js';

const TTL = 60_000;
const START = 1_800_000_000_000;
const SECRET = 'h'.repeat(32);
const EXPOSED = 'Mcp-Session-Id';
const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

type Kind = 'node' | 'express' | 'fetch';

let key: ProofKey;
let jkt: string;
beforeAll(async () => {
  key = await proofKey('ES256');
  jkt = await calculateJwkThumbprint(key.jwk, 'sha256');
});

const verifier = {
  verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
    token,
    clientId: 'c',
    scopes: ['read'],
    extra: { claims: token === 'bound' ? { cnf: { jkt } } : {} },
  }),
};

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The protected handler answers 200 and exposes `Mcp-Session-Id`, as the SDK transport would. */
function listenerFor(kind: Kind, options: Parameters<typeof nodeGate>[0], origin: () => string) {
  if (kind === 'express') {
    const app = express();
    app.post(
      '/mcp',
      (_req, res, next) => {
        res.set('Access-Control-Expose-Headers', EXPOSED);
        next();
      },
      express.json(),
      expressGate(options),
      (req, res) => res.json({ client: req.auth?.clientId }),
    );
    return app as unknown as Listener;
  }
  if (kind === 'node') {
    const gate = nodeGate(options);
    return (async (req, res) => {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
      const passed = await gate(req, res);
      if (passed === undefined) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ client: passed.authInfo.clientId }));
    }) as Listener;
  }
  const gate = fetchGate(options);
  return (async (req, res) => {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
    }
    const body = new Uint8Array(await readAll(req));
    const passed = await gate(
      new Request(`${origin()}${req.url}`, { method: req.method, headers, body }),
    );
    const response =
      passed instanceof Response
        ? passed
        : passed.finish(
            Response.json(
              { client: passed.authInfo.clientId },
              { headers: { 'Access-Control-Expose-Headers': EXPOSED } },
            ),
          );
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  }) as Listener;
}

interface Resource {
  readonly url: string;
  readonly clock: { t: number };
  close(): Promise<void>;
}

async function start(kind: Kind, dpop: DpopOptions): Promise<Resource> {
  const clock = { t: START };
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const options = { verifier, serverUrl: `${origin}/mcp`, now: () => clock.t, dpop };
  server.on(
    'request',
    listenerFor(kind, options, () => origin),
  );
  return {
    url: `${origin}/mcp`,
    clock,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function post(resource: Resource, auth: 'bound' | 'plain', nonce?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (auth === 'plain') headers.authorization = 'Bearer plain';
  else {
    headers.authorization = 'DPoP bound';
    headers.dpop = await signProof(key, {
      iat: resource.clock.t / 1000,
      htu: resource.url,
      token: 'bound',
      ...(nonce === undefined ? {} : { nonce }),
    });
  }
  const response = await fetch(resource.url, { method: 'POST', headers, body: BODY });
  await response.arrayBuffer();
  return response;
}

async function freshNonce(resource: Resource): Promise<string> {
  const refused = await post(resource, 'bound');
  expect(refused.status).toBe(401);
  return refused.headers.get('dpop-nonce') as string;
}

describe.each<Kind>(['node', 'express', 'fetch'])(
  '%s: DPoP-Nonce on a pass (RFC 9449 §8.2)',
  (kind) => {
    let withNonces: Resource;
    let without: Resource;
    beforeAll(async () => {
      withNonces = await start(kind, { nonce: { secret: SECRET, ttlMs: TTL } });
      without = await start(kind, {});
    });
    afterAll(async () => {
      await withNonces?.close();
      await without?.close();
    });

    it('a proof with the previous window’s nonce: 200 + the nonce a fresh 401 gives, exposed', async () => {
      const old = await freshNonce(withNonces);
      withNonces.clock.t += TTL;
      const passed = await post(withNonces, 'bound', old);
      expect(passed.status).toBe(200);
      const fresh = await freshNonce(withNonces);
      expect(fresh).not.toBe(old);
      expect(passed.headers.get('dpop-nonce')).toBe(fresh);
      const exposed = passed.headers.get('access-control-expose-headers') ?? '';
      expect(exposed.split(/\s*,\s*/).sort()).toEqual(['DPoP-Nonce', EXPOSED]);
      const next = await post(withNonces, 'bound', fresh);
      expect(next.status).toBe(200);
      expect(next.headers.get('dpop-nonce')).toBeNull();
    });

    it('a proof with the current nonce: 200, no DPoP-Nonce, exposed headers untouched', async () => {
      const passed = await post(withNonces, 'bound', await freshNonce(withNonces));
      expect(passed.status).toBe(200);
      expect(passed.headers.get('dpop-nonce')).toBeNull();
      expect(passed.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    });

    it('Bearer with nonces on: 200, no DPoP-Nonce', async () => {
      const passed = await post(withNonces, 'plain');
      expect(passed.status).toBe(200);
      expect(passed.headers.get('dpop-nonce')).toBeNull();
    });

    it('nonces off: a DPoP pass has no DPoP-Nonce', async () => {
      const passed = await post(without, 'bound');
      expect(passed.status).toBe(200);
      expect(passed.headers.get('dpop-nonce')).toBeNull();
      expect(passed.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    });
  },
);
