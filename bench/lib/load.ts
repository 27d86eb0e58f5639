/**
 * Load generation: timed autocannon runs (throughput and latency) and a bounded-concurrency
 * request driver (exact request counts, per-request headers) on undici.
 *
 * @module
 */

import autocannon from 'autocannon';
import { Agent, request } from 'undici';

/** One autocannon run, reduced to what the report needs. */
export interface LoadFigures {
  /** Mean requests per second over the run. */
  readonly rps: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Responses with a status other than 2xx, plus socket errors and timeouts. */
  readonly failures: number;
}

/** What to load. */
export interface LoadTarget {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** One bearer token per connection, round robin (instead of a fixed `authorization`). */
  readonly tokens?: readonly string[];
  /** Requests per second over all connections (autocannon `overallRate`); unbounded when absent. */
  readonly rate?: number;
}

/**
 * One autocannon run against `target` for `durationS` seconds with `connections` connections.
 */
export async function loadRun(
  target: LoadTarget,
  durationS: number,
  connections: number,
): Promise<LoadFigures> {
  const headers = target.headers ?? {};
  const tokens = target.tokens;
  let nextToken = 0;
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers,
    ...(tokens === undefined || tokens.length === 0
      ? {}
      : {
          setupClient: (client) => {
            const token = tokens[nextToken++ % tokens.length];
            client.setHeaders({ ...headers, authorization: `Bearer ${token}` });
          },
        }),
    ...(target.body === undefined ? {} : { body: target.body }),
    ...(target.rate === undefined ? {} : { overallRate: target.rate }),
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Status counts of a batch of requests. */
export type StatusCounts = Record<string, number>;

/**
 * Sends `total` GET requests to `url`, at most `concurrency` at once, the i-th with the headers
 * `headersFor(i)`. Bodies are drained; socket errors count under `"error"`.
 */
export async function sendBatch(
  url: string,
  total: number,
  concurrency: number,
  headersFor: (i: number) => Record<string, string>,
): Promise<StatusCounts> {
  const agent = new Agent({ connections: concurrency, pipelining: 1 });
  const counts: StatusCounts = {};
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    for (let i = nextIndex++; i < total; i = nextIndex++) {
      let key: string;
      try {
        const res = await request(url, { dispatcher: agent, headers: headersFor(i) });
        await res.body.dump();
        key = String(res.statusCode);
      } catch {
        key = 'error';
      }
      counts[key] = (counts[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  await agent.close();
  return counts;
}
