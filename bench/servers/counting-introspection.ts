/**
 * A minimal RFC 7662 introspection server for the fan-in and flood benchmarks: answers after a
 * fixed latency, counts requests and the most it ever had in flight at once. Tokens starting with
 * `valid-` are active for `audience`; every other token is inactive.
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Counters of a {@link CountingIntrospection}. */
export interface IntrospectionCounts {
  readonly requests: number;
  readonly maxInFlight: number;
}

/** A running counting introspection server. */
export interface CountingIntrospection {
  readonly url: string;
  /** The `aud` given to active tokens. */
  audience: string;
  counts(): IntrospectionCounts;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the counting server on 127.0.0.1, port 0.
 *
 * @param latencyMs - Time each answer takes (a timer, no CPU).
 */
export async function startCountingIntrospection(
  latencyMs: number,
): Promise<CountingIntrospection> {
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const state = { audience: '' };
  const server: Server = createServer((req, res) => {
    requests += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('token') ?? '';
      const body = token.startsWith('valid-')
        ? {
            active: true,
            client_id: 'bench-client',
            scope: 'read',
            aud: state.audience,
            exp: Math.floor(Date.now() / 1000) + 3600,
          }
        : { active: false };
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/introspect`,
    get audience() {
      return state.audience;
    },
    set audience(value: string) {
      state.audience = value;
    },
    counts: () => ({ requests, maxInFlight }),
    reset: () => {
      requests = 0;
      maxInFlight = inFlight;
    },
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
