/**
 * Fixtures for the safe HTTP client tests: real loopback servers that count connections and
 * requests, a table-driven resolver, and a counter of outgoing client sockets (through the
 * `net.client.socket` diagnostics channel) that proves a refusal opened no socket at all.
 */

import * as diagnostics from 'node:diagnostics_channel';
import type * as http from 'node:http';
import { createServer } from 'node:http';
import type * as https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';
import type { SafeHttpClient, SafeHttpRequest } from '../../src/ssrf/types.js';

export interface TestServer {
  readonly port: number;
  /** Connections the server accepted. */
  connections: number;
  /** Requests the server received. */
  requests: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export const GET: SafeHttpRequest = {
  method: 'GET',
  timeoutMs: 5_000,
  maxResponseBytes: 64 * 1024,
};

let clientSockets = 0;
const onClientSocket = (): void => {
  clientSockets++;
};
const clients: SafeHttpClient[] = [];
const servers: TestServer[] = [];

/** Outgoing client sockets created since the current test started. */
export function clientSocketCount(): number {
  return clientSockets;
}

/** Registers the hooks that count sockets and close every client and server after each test. */
export function useHttpFixtures(): void {
  beforeAll(() => diagnostics.subscribe('net.client.socket', onClientSocket));
  afterAll(() => diagnostics.unsubscribe('net.client.socket', onClientSocket));
  beforeEach(() => {
    clientSockets = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
}

/** Starts `server` on 127.0.0.1, port 0; it is closed after the test. */
export async function listen(server: http.Server | https.Server): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: 0 };
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', () => state.requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const handle: TestServer = Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  servers.push(handle);
  return handle;
}

/** An http server on 127.0.0.1; it is closed after the test. */
export function server(handler: Handler): Promise<TestServer> {
  return listen(createServer(handler));
}

/** A safe client; it is closed after the test. */
export function client(options?: Parameters<typeof createSafeHttpClient>[0]): SafeHttpClient {
  const c = createSafeHttpClient(options);
  clients.push(c);
  return c;
}

/** A resolver that answers from a table and records every name it was asked for. */
export function fakeLookup(
  table: Record<string, readonly string[]>,
  asked: string[] = [],
): LookupFunction {
  return ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      setImmediate(() => callback(err));
      return;
    }
    const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    setImmediate(() => callback(null, list));
  }) as LookupFunction;
}

/** Echoes method, URL and body; sets a repeated header. */
export const hello: Handler = (req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    res.setHeader('X-Echo-Method', req.method ?? '');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.end(`hello ${req.method} ${req.url} ${body}`);
  });
};

export const text = (body: Uint8Array): string => Buffer.from(body).toString('utf8');
