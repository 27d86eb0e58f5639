/**
 * Test helper: a small, deliberately misbehaving HTTP server on 127.0.0.1 (random port). Each
 * test installs the behaviour it needs; requests are counted.
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one request; `body` is the full request body. */
export type FaultyHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A running faulty server. */
export interface FaultyServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests received so far. */
  readonly count: number;
  /** The last request's body and headers. */
  readonly last: { body: string; headers: IncomingMessage['headers'] } | undefined;
  /** Replaces the behaviour. */
  handle(handler: FaultyHandler): void;
  /** Runs `fn` later; cleared on close. */
  later(ms: number, fn: () => void): void;
  close(): Promise<void>;
}

/** Answers `status` with `body` as JSON. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts a faulty server whose initial behaviour answers `{ active: false }`. */
export async function startFaultyServer(): Promise<FaultyServer> {
  let handler: FaultyHandler = (_req, res) => json(res, 200, { active: false });
  let count = 0;
  let last: FaultyServer['last'];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    count += 1;
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      last = { body, headers: req.headers };
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get count() {
      return count;
    },
    get last() {
      return last;
    },
    handle(next) {
      handler = next;
    },
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
