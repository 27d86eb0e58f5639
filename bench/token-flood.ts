/**
 * Benchmark 4, token flood: requests with random, well-formed but unknown tokens through the
 * bearer gate, far more at once than the verifier lets through. Measures the most introspection
 * requests the (counting) authorization server had in flight at once against the configured cap,
 * the answers clients got (401 inactive, 503 shed), and the server process's peak RSS.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { COUNTING_LATENCY_MS } from './introspection-fan-in.js';
import type { BenchChild } from './lib/child.js';
import { type StatusCounts, sendBatch } from './lib/load.js';
import type { IntrospectionCounts } from './servers/counting-introspection.js';

/** Settings of {@link runTokenFlood}. */
export interface FloodSettings {
  readonly requests: number;
  /** Requests sent at once. */
  readonly concurrency: number;
  /** The verifier's `cache.maxInFlight` (the cap under test). */
  readonly maxInFlight: number;
  /** The verifier's `cache.maxQueued`. */
  readonly maxQueued: number;
}

/** Result of {@link runTokenFlood}. */
export interface FloodFigures extends FloodSettings {
  /** Most introspection requests the authorization server had in flight at once. */
  readonly maxInFlightSeen: number;
  readonly introspections: number;
  readonly statuses: StatusCounts;
  readonly durationMs: number;
  /** RSS of the server process, bytes. */
  readonly rssBefore: number;
  readonly rssPeak: number;
  readonly rssAfter: number;
}

/** Runs benchmark 4 against the servers of `child` (`bench/servers/http-server.ts`). */
export async function runTokenFlood(child: BenchChild, s: FloodSettings): Promise<FloodFigures> {
  const { url } = await child.call<{ url: string }>('countedApp', {
    latencyMs: COUNTING_LATENCY_MS,
    cache: { maxInFlight: s.maxInFlight, maxQueued: s.maxQueued },
  });
  await child.call('resetCounts');
  const rssBefore = await child.call<number>('rssStart');
  const started = performance.now();
  const statuses = await sendBatch(url, s.requests, s.concurrency, () => ({
    authorization: `Bearer flood-${randomBytes(16).toString('base64url')}`,
  }));
  const durationMs = performance.now() - started;
  const rss = await child.call<{ peak: number; now: number }>('rssStop');
  const counts = await child.call<IntrospectionCounts>('counts');
  return {
    ...s,
    maxInFlightSeen: counts.maxInFlight,
    introspections: counts.requests,
    statuses,
    durationMs,
    rssBefore,
    rssPeak: rss.peak,
    rssAfter: rss.now,
  };
}
