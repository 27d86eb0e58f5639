/**
 * Gateway benchmark: `tools/call` (server-everything's `echo`) through `mcp-authflow-resource
 * gateway` versus straight to the upstream, 32 connections in flight, variants alternated.
 * Reports the throughput ratio (target ≥ 0.8×) and the latency the gateway adds (p50, p99).
 *
 * The gateway runs as its own process from the sources (JWT access tokens from the in-process
 * fixture authorization server, verdict cache warm), server-everything as another, autocannon
 * here. Run alone: `npx tsx bench/gateway.ts [--quick]`.
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { startAuthServer } from '../test/helpers/auth-server.js';
import { freePort, startEverythingServer } from '../test/helpers/everything-server.js';
import { startGatewayProcess } from '../test/helpers/gateway-process.js';
import { buildWorkers } from './lib/build.js';
import { type LoadFigures, type LoadTarget, loadRun, median } from './lib/load.js';

/** Settings of {@link runGatewayBench}. */
export interface GatewayBenchSettings {
  readonly durationS: number;
  readonly rounds: number;
  readonly connections: number;
}

/** Result of {@link runGatewayBench}. */
export interface GatewayBenchFigures {
  readonly direct: LoadFigures;
  readonly gateway: LoadFigures;
  /** gateway / direct req/s. */
  readonly ratio: number;
  /** gateway p50 − direct p50, ms. */
  readonly addedP50Ms: number;
  /** gateway p99 − direct p99, ms. */
  readonly addedP99Ms: number;
}

const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

async function openSession(url: string, token?: string): Promise<Record<string, string>> {
  const auth: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, ...auth },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    }),
  });
  await res.text();
  const session = res.headers.get('mcp-session-id');
  if (res.status !== 200 || session === null) throw new Error(`initialize failed: ${res.status}`);
  const headers = {
    ...HEADERS,
    ...auth,
    'mcp-session-id': session,
    'mcp-protocol-version': '2025-06-18',
  };
  await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  }).then((r) => r.text());
  return headers;
}

function target(url: string, headers: Record<string, string>): LoadTarget {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'echo', arguments: { message: 'bench' } },
  });
  return { url, method: 'POST', headers, body };
}

function medianFigures(runs: readonly LoadFigures[]): LoadFigures {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    failures: runs.reduce((n, r) => n + r.failures, 0),
  };
}

/** Runs the gateway benchmark. */
export async function runGatewayBench(
  cliPath: string,
  s: GatewayBenchSettings,
): Promise<GatewayBenchFigures> {
  const as = await startAuthServer({ scopes: ['read'], jwtResources: (r) => r.endsWith('/mcp') });
  const everything = await startEverythingServer();
  const publicUrl = `http://127.0.0.1:${await freePort()}/mcp`;
  const gateway = await startGatewayProcess(
    [
      ...['--upstream', everything.url, '--public-url', publicUrl],
      ...['--port', new URL(publicUrl).port, '--issuer', as.issuer, '--allow-localhost'],
      ...['--scopes', 'read', '--log-level', 'info'],
    ],
    {},
    cliPath,
  );
  try {
    const token = await as.issueToken({ scope: 'read', resource: publicUrl });
    const variants = {
      direct: target(everything.url, await openSession(everything.url)),
      gateway: target(publicUrl, await openSession(publicUrl, token)),
    };
    await loadRun(variants.gateway, 1, s.connections);
    await loadRun(variants.direct, 1, s.connections);
    const runs = { direct: [] as LoadFigures[], gateway: [] as LoadFigures[] };
    for (let round = 0; round < s.rounds; round++) {
      const order =
        round % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
      for (const name of order)
        runs[name].push(await loadRun(variants[name], s.durationS, s.connections));
    }
    const direct = medianFigures(runs.direct);
    const through = medianFigures(runs.gateway);
    return {
      direct,
      gateway: through,
      ratio: through.rps / direct.rps,
      addedP50Ms: through.p50 - direct.p50,
      addedP99Ms: through.p99 - direct.p99,
    };
  } finally {
    await gateway.kill();
    await everything.close();
    await as.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const settings = { durationS: quick ? 2 : 5, rounds: quick ? 1 : 3, connections: 32 };
  buildWorkers()
    .then((workers) => runGatewayBench(workers['gateway-cli'] as string, settings))
    .then(
      (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
      (err: unknown) => {
        process.stderr.write(`gateway bench failed: ${String(err)}\n`);
        process.exitCode = 1;
      },
    );
}
