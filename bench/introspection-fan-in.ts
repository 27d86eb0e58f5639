/**
 * Benchmark 3, introspection fan-in: concurrent HTTP requests through the bearer gate with cold
 * tokens, counting the introspection requests that reach the authorization server. Once at the
 * fixture `oidc-provider` (1 000 concurrent requests, one token), and at a counting introspection
 * server with a 10 ms answer time (one token; then 10 000 requests over 1 000 tokens).
 *
 * @module
 */

import type { BenchChild } from './lib/child.js';
import { type StatusCounts, sendBatch } from './lib/load.js';
import type { IntrospectionCounts } from './servers/counting-introspection.js';

/** One fan-in case. */
export interface FanInCase {
  readonly requests: number;
  readonly tokens: number;
  readonly concurrency: number;
  /** Introspection requests the authorization server received. */
  readonly introspections: number;
  /** Target number of introspections. */
  readonly target: number;
  readonly statuses: StatusCounts;
  /** Most introspections in flight at once (counting server only). */
  readonly maxInFlight?: number;
}

/** Result of {@link runFanIn}. */
export interface FanInFigures {
  readonly provider: FanInCase;
  readonly oneToken: FanInCase;
  readonly manyTokens: FanInCase;
}

/** Answer time of the counting introspection server, ms. */
export const COUNTING_LATENCY_MS = 10;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function providerCase(child: BenchChild): Promise<FanInCase> {
  const app = await child.call<{ url: string; token: string; before: number }>('providerFanIn');
  const statuses = await sendBatch(app.url, 1000, 1000, () => bearer(app.token));
  const after = await child.call<number>('providerCount');
  return {
    requests: 1000,
    tokens: 1,
    concurrency: 1000,
    introspections: after - app.before,
    target: 1,
    statuses,
  };
}

async function countedCase(
  child: BenchChild,
  url: string,
  requests: number,
  tokens: number,
  prefix: string,
): Promise<FanInCase> {
  await child.call('resetCounts');
  const statuses = await sendBatch(url, requests, 1000, (i) =>
    bearer(`valid-${prefix}-${i % tokens}`),
  );
  const counts = await child.call<IntrospectionCounts>('counts');
  return {
    requests,
    tokens,
    concurrency: 1000,
    introspections: counts.requests,
    target: tokens,
    statuses,
    maxInFlight: counts.maxInFlight,
  };
}

/**
 * Runs benchmark 3 against the servers of `child` (`bench/servers/http-server.ts`).
 */
export async function runFanIn(child: BenchChild): Promise<FanInFigures> {
  const provider = await providerCase(child);
  const { url } = await child.call<{ url: string }>('countedApp', {
    latencyMs: COUNTING_LATENCY_MS,
  });
  const oneToken = await countedCase(child, url, 1000, 1, 'one');
  const manyTokens = await countedCase(child, url, 10_000, 1000, 'many');
  return { provider, oneToken, manyTokens };
}
