/**
 * `npm run bench`: every benchmark of DESIGN §5 in one run — gate overhead, MCP end to end,
 * introspection fan-in, token flood, friction decisions/s (memory and Redis, next to
 * rate-limiter-flexible), memory per client, and the gateway against its upstream. Writes the "Benchmarks" section of BENCHMARKS.md
 * (between `<!-- bench:start -->` and `<!-- bench:end -->`) and prints a one-line JSON summary
 * last on stdout.
 *
 * Options: `--quick` (short runs, for checking the harness; figures not representative),
 * `--no-write` (leave BENCHMARKS.md alone). Environment: `REDIS_URL` (default
 * `redis://127.0.0.1:6379`), `BENCH_CPU_PROF_DIR` (child processes write V8 CPU profiles there;
 * summarise one with `npx tsx bench/lib/profile.ts <file>`).
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { runGateNode } from './gate-node.js';
import { runGateOverhead } from './gate-overhead.js';
import { runGatewayBench } from './gateway.js';
import { runFanIn } from './introspection-fan-in.js';
import { runJwtVerify } from './jwt-verify.js';
import { buildWorkers } from './lib/build.js';
import { startChild } from './lib/child.js';
import { machineInfo, summaryLine, writeReport } from './lib/report.js';
import type { BenchResults } from './lib/report-types.js';
import { runMcpEndToEnd } from './mcp-end-to-end.js';
import { runTelemetryOverhead } from './telemetry-overhead.js';
import { runTokenFlood } from './token-flood.js';

const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const settings = quick
  ? {
      gate: { durationS: 2, connections: 50, rounds: 1, warmupS: 1 },
      mcp: { durationS: 2, connections: 50, rounds: 1, warmupS: 1 },
      flood: { requests: 5000, concurrency: 1500, maxInFlight: 32, maxQueued: 1000 },
      friction: { budgetMs: 300, rounds: 1 },
      clients: 20_000,
    }
  : {
      gate: { durationS: 5, connections: 50, rounds: 3, warmupS: 2 },
      mcp: { durationS: 5, connections: 50, rounds: 2, warmupS: 2 },
      flood: { requests: 20_000, concurrency: 1500, maxInFlight: 32, maxQueued: 1000 },
      friction: { budgetMs: 1000, rounds: 3 },
      clients: 100_000,
    };

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function withChild<T>(
  path: string,
  fn: (c: ReturnType<typeof startChild>) => Promise<T>,
  execArgv: readonly string[] = [],
): Promise<T> {
  const child = startChild(path, execArgv);
  try {
    return await fn(child);
  } finally {
    await child.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  log('compiling workers (esbuild, as tsup ships the package)');
  const workers = await buildWorkers();
  log(`1/6 gate overhead (${settings.gate.rounds} × ${settings.gate.durationS} s per variant)`);
  const gate = await runGateOverhead(workers['http-server'], settings.gate);
  log('2/6 MCP end to end');
  const mcp = await runMcpEndToEnd(workers['http-server'], settings.mcp);
  log('3/6 introspection fan-in, 4/6 token flood');
  const { fanIn, flood } = await withChild(workers['http-server'], async (child) => ({
    fanIn: await runFanIn(child),
    flood: await runTokenFlood(child, settings.flood),
  }));
  log('5/6 friction decisions/s (memory, Redis)');
  const { budgetMs, rounds } = settings.friction;
  const friction = await withChild(workers['friction-worker'], async (child) => ({
    memory: await child.call<BenchResults['friction']['memory']>('memory', { budgetMs, rounds }),
    redis: await child.call<BenchResults['friction']['redis']>('redis', {
      url: redisUrl,
      storeModuleUrl: workers.redis && pathToFileURL(workers.redis).href,
      budgetMs,
      rounds,
    }),
  }));
  log(`6/6 memory per client (${settings.clients} clients)`);
  const memory = await withChild(
    workers['memory-worker'],
    (child) => child.call<BenchResults['memory']>('measure', { clients: settings.clients }),
    ['--expose-gc'],
  );
  log('JWT verification (uncached vs bare jose, cached vs uncached)');
  const jwt = await runJwtVerify(quick ? 300 : 1000, quick ? 1 : 3);
  log(`jwt: ${JSON.stringify(jwt)}`);
  log('telemetry overhead (gate CPU per request, OpenTelemetry SDK registered vs not)');
  log('gate CPU per request on node:http and Express (POST JSON-RPC, 4 contenders alternating)');
  const gateNode = await runGateNode(workers['http-server'], {
    ...settings.gate,
    connections: 16,
    rounds: quick ? 1 : 4,
  });
  log(`gate cpu ratio: ${JSON.stringify(gateNode.cpuRatio)}`);
  const telemetry = await runTelemetryOverhead(
    quick ? { requests: 20_000, rounds: 3 } : { requests: 100_000, rounds: 7 },
  );
  log('gateway (tools/call through the gateway vs straight to server-everything, 32 in flight)');
  const gateway =
    workers['gateway-cli'] === undefined
      ? undefined
      : await runGatewayBench(workers['gateway-cli'], {
          durationS: quick ? 2 : 5,
          rounds: quick ? 1 : 3,
          connections: 32,
        });
  log(`gateway: ${JSON.stringify(gateway)}`);
  const results: BenchResults = {
    machine: machineInfo(quick),
    settings,
    gate,
    mcp,
    fanIn,
    flood,
    friction,
    memory,
    durationS: (performance.now() - started) / 1000,
  };
  if (write) {
    const file = await writeReport(results);
    log(`wrote ${file}`);
  }
  const gateCpuRatio = gateNode.cpuRatio;
  process.stdout.write(
    `${JSON.stringify({ ...summaryLine(results), jwt, telemetry, gateCpuRatio, gateway })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
