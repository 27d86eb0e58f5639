/**
 * The results of `npm run bench`: the one-line JSON summary, and the markdown section written
 * into BENCHMARKS.md between `<!-- bench:start -->` and `<!-- bench:end -->`.
 *
 * @module
 */

import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RateTable } from '../friction-throughput.js';
import type { VariantFigures } from '../gate-overhead.js';
import type { FanInCase } from '../introspection-fan-in.js';
import { notesFor } from './report-notes.js';
import type { BenchResults, MachineInfo, TargetVerdict } from './report-types.js';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

/** The machine, Node version, date and command of this run. */
export function machineInfo(quick: boolean): MachineInfo {
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    command: quick ? 'npm run bench -- --quick' : 'npm run bench',
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => n.toFixed(2);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (t: RateTable | undefined, k: string) => t?.[k]?.median ?? Number.NaN;
/** Median operations per CPU-second of the benchmark process. */
const cpuRate = (t: RateTable | undefined, k: string) => t?.[k]?.cpuMedian ?? Number.NaN;

/** A registry-vs-limiter verdict on ops per CPU-second, with the wall-clock ratio beside it. */
/**
 * A rate ratio checked per CPU-second of the benchmark process, or by wall clock where the bound
 * is another process (Redis's single thread: the client's CPU-seconds do not count its work).
 */
function versus(
  t: RateTable,
  ours: string,
  theirs: string,
  label: string,
  want: number,
  by: 'cpu' | 'wall' = 'cpu',
) {
  const cpu = cpuRate(t, ours) / cpuRate(t, theirs);
  const wall = rate(t, ours) / rate(t, theirs);
  return {
    name: label,
    target: `≥ ${want.toFixed(2)}× (${by === 'cpu' ? 'per CPU-second' : 'wall-clock'})`,
    measured: `${ratio(cpu)}× per CPU-s (${ratio(wall)}× wall-clock)`,
    pass: (by === 'cpu' ? cpu : wall) >= want,
  };
}

/** The targets of DESIGN §5 and issue 7, checked. */
export function verdicts(r: BenchResults): TargetVerdict[] {
  const mem = r.friction.memory;
  const redis = r.friction.redis;
  const rpd = redis.available ? redis.commandsPerDecision.registryRedis : Number.NaN;
  return [
    {
      name: 'Gate overhead (protected / unprotected req/s)',
      target: '≥ 0.90',
      measured: ratio(r.gate.ratio),
      pass: r.gate.ratio >= 0.9,
    },
    {
      name: 'Fan-in, 1 000 concurrent requests, one cold token',
      target: '1 introspection',
      measured: `${r.fanIn.provider.introspections} (oidc-provider), ${r.fanIn.oneToken.introspections} (counting server)`,
      pass: r.fanIn.provider.introspections === 1 && r.fanIn.oneToken.introspections === 1,
    },
    {
      name: 'Fan-in, 10 000 requests over 1 000 tokens',
      target: '1 000 introspections',
      measured: int(r.fanIn.manyTokens.introspections),
      pass: r.fanIn.manyTokens.introspections === r.fanIn.manyTokens.tokens,
    },
    {
      name: 'Token flood: most introspections in flight at once',
      target: `≤ ${r.flood.maxInFlight} (cap)`,
      measured: String(r.flood.maxInFlightSeen),
      pass: r.flood.maxInFlightSeen <= r.flood.maxInFlight,
    },
    {
      name: 'FrictionController decisions/s (11 tools + group)',
      target: '≥ 3 000 000 per CPU-second (issue 18)',
      measured: `${int(cpuRate(mem, 'controller'))} adaptive, ${int(cpuRate(mem, 'controllerProportional'))} proportional`,
      pass: Math.min(cpuRate(mem, 'controller'), cpuRate(mem, 'controllerProportional')) >= 3e6,
    },
    versus(
      mem,
      'registryMemory',
      'rateLimiterMemory',
      'FrictionRegistry (memory, adaptive) vs RateLimiterMemory',
      1,
    ),
    versus(
      mem,
      'registryMemoryProportional',
      'rateLimiterMemory',
      'FrictionRegistry (memory, proportional) vs RateLimiterMemory',
      1,
    ),
    redis.available
      ? versus(
          redis.rates,
          'registryRedis64',
          'rateLimiterRedis64',
          'FrictionRegistry (Redis, 64 in flight) vs RateLimiterRedis',
          0.5,
          'wall',
        )
      : {
          name: 'FrictionRegistry (Redis, 64 in flight) vs RateLimiterRedis',
          target: '≥ 0.50×',
          measured: 'not available',
          pass: null,
        },
    {
      name: 'Memory per tracked client (both controllers)',
      target: '≤ 2 048 bytes',
      measured: `${int(r.memory.registryBytesPerClient)} adaptive, ${int(r.memory.proportionalBytesPerClient)} proportional`,
      pass: Math.max(r.memory.registryBytesPerClient, r.memory.proportionalBytesPerClient) <= 2048,
    },
    {
      name: 'Redis round trips per friction decision',
      target: '1',
      measured: redis.available ? rpd.toFixed(2) : 'not available',
      pass: redis.available ? rpd <= 1 : null,
    },
  ];
}

function variantRow(name: string, v: VariantFigures, extra = ''): string {
  return `| ${name} | ${int(v.rps)} | ${v.p50} | ${v.p99} | ${v.runs.map(int).join(', ')} | ${v.failures} |${extra}`;
}

function fanInRow(name: string, c: FanInCase): string {
  const statuses = Object.entries(c.statuses)
    .map(([k, v]) => `${k}: ${int(v)}`)
    .join(', ');
  return `| ${name} | ${int(c.requests)} | ${int(c.tokens)} | ${int(c.concurrency)} | ${int(c.introspections)} | ${int(c.target)} | ${c.maxInFlight ?? '–'} | ${statuses} |`;
}

/** `| label | wall median | CPU-s median | wall per round | CPU-s per round |` */
function rateRow(label: string, t: RateTable, k: string): string {
  const x = t[k];
  const list = (v: readonly number[] | undefined) => v?.map(int).join(', ') ?? '–';
  return `| ${label} | ${int(rate(t, k))} | ${int(cpuRate(t, k))} | ${list(x?.runs)} | ${list(x?.cpuRuns)} |`;
}

function frictionRows(r: BenchResults): string[] {
  const m = r.friction.memory;
  const rows = [
    rateRow('`FrictionController` alone (adaptive), 20 % limited / 80 % reads', m, 'controller'),
    rateRow(
      '`FrictionController` alone (proportional), same workload',
      m,
      'controllerProportional',
    ),
    rateRow('`FrictionController` alone (adaptive), every call limited', m, 'controllerAllLimited'),
    rateRow('`FrictionRegistry` on `MemoryStore` (adaptive), 1 000 clients', m, 'registryMemory'),
    rateRow(
      '`FrictionRegistry` on `MemoryStore` (proportional), 1 000 clients',
      m,
      'registryMemoryProportional',
    ),
    rateRow(
      'rate-limiter-flexible `RateLimiterMemory.consume`, 1 000 keys',
      m,
      'rateLimiterMemory',
    ),
  ];
  const redis = r.friction.redis;
  if (!redis.available) {
    rows.push(`| \`FrictionRegistry\` on \`RedisStore\` | not available: ${redis.reason} | | | |`);
    rows.push(`| rate-limiter-flexible \`RateLimiterRedis.consume\` | not available | | | |`);
    return rows;
  }
  const x = redis.rates;
  const cpd = redis.commandsPerDecision;
  rows.push(
    rateRow(
      `\`FrictionRegistry\` on \`RedisStore\`, 1 in flight (${cpd.registryRedis.toFixed(2)} commands/decision)`,
      x,
      'registryRedis',
    ),
    rateRow(
      `rate-limiter-flexible \`RateLimiterRedis.consume\`, 1 in flight (${cpd.rateLimiterRedis.toFixed(2)} commands/decision)`,
      x,
      'rateLimiterRedis',
    ),
    rateRow('`FrictionRegistry` on `RedisStore`, 64 in flight', x, 'registryRedis64'),
    rateRow(
      'rate-limiter-flexible `RateLimiterRedis.consume`, 64 in flight',
      x,
      'rateLimiterRedis64',
    ),
  );
  return rows;
}

/** The markdown between the markers. */
export function renderSection(r: BenchResults): string {
  const { machine: m, gate, mcp, fanIn, flood, memory } = r;
  const targets = verdicts(r);
  const verdict = (p: boolean | null) => (p === null ? 'n/a' : p ? 'met' : '**missed**');
  const head = '| variant | req/s (median) | p50 ms | p99 ms | req/s per run | non-2xx |';
  const sep = '| --- | ---: | ---: | ---: | --- | ---: |';
  return [
    `Generated by \`${m.command}\` (bench/run.ts) on ${m.date.slice(0, 10)} (${m.date}): ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}; whole run ${r.durationS.toFixed(0)} s. Library code is compiled as tsup ships it (esbuild, no \`keepNames\`); servers run in child processes, autocannon in the parent; variants alternate (A B, B A, …) and the median is reported.`,
    '',
    '### Targets',
    '',
    '| target | wanted | measured | verdict |',
    '| --- | --- | --- | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.target} | ${t.measured} | ${verdict(t.pass)} |`),
    '',
    `### 1. Gate overhead (Express \`GET /data\`, autocannon -c ${(r.settings as { gate: { connections: number } }).gate.connections})`,
    '',
    head,
    sep,
    variantRow('unprotected', gate.unprotected),
    variantRow('`requireBearerAuth`, cached token', gate.protected),
    '',
    `Ratio protected / unprotected: **${ratio(gate.ratio)}** (target ≥ 0.90). Server CPU per request: ${gate.cpuUsPerRequest.unprotected.toFixed(0)} µs unprotected, ${gate.cpuUsPerRequest.protected.toFixed(0)} µs protected (+${(gate.cpuUsPerRequest.protected - gate.cpuUsPerRequest.unprotected).toFixed(0)} µs; CPU-bound ratio ${ratio(gate.cpuUsPerRequest.unprotected / gate.cpuUsPerRequest.protected)}).`,
    '',
    '### 2. MCP end to end (`tools/call`, Streamable HTTP, stateless, one server + transport per request)',
    '',
    `${head} ratio |`,
    `${sep} ---: |`,
    variantRow('unprotected', mcp.unprotected, ' 1.00 |'),
    variantRow('protected, cache warm', mcp.cached, ` ${ratio(mcp.cachedRatio)} |`),
    variantRow('protected, `cache: false`', mcp.uncached, ` ${ratio(mcp.uncachedRatio)} |`),
    '',
    `With \`cache: false\` the fixture \`oidc-provider\` (same child process) received ${mcp.uncachedIntrospectionsPerRequest.toFixed(2)} introspection requests per MCP request (one token per connection).`,
    '',
    '### 3. Introspection fan-in (HTTP through the gate, cold cache)',
    '',
    '| authorization server | requests | tokens | concurrency | introspections | target | max in flight | statuses |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    fanInRow('oidc-provider fixture', fanIn.provider),
    fanInRow('counting server (10 ms answers)', fanIn.oneToken),
    fanInRow('counting server (10 ms answers)', fanIn.manyTokens),
    '',
    '### 4. Token flood (random well-formed unknown tokens, counting server, 10 ms answers)',
    '',
    `${int(flood.requests)} requests, ${int(flood.concurrency)} at once; verifier \`cache: { maxInFlight: ${flood.maxInFlight}, maxQueued: ${flood.maxQueued} }\`. Most introspections in flight at the server: **${flood.maxInFlightSeen}** (cap ${flood.maxInFlight}); ${int(flood.introspections)} introspections in ${(flood.durationMs / 1000).toFixed(1)} s; answers ${Object.entries(
      flood.statuses,
    )
      .map(([k, v]) => `${k}: ${int(v)}`)
      .join(
        ', ',
      )} (503 = shed by the queue bound, with \`Retry-After\`). Server RSS: ${mib(flood.rssBefore)} before, peak ${mib(flood.rssPeak)}, ${mib(flood.rssAfter)} after.`,
    '',
    '### 5. Friction decisions per second (one process, awaited one at a time unless stated)',
    '',
    '| contender | decisions/s (median, wall-clock) | decisions per CPU-second (median) | wall-clock per round | per CPU-second per round |',
    '| --- | ---: | ---: | --- | --- |',
    ...frictionRows(r),
    '',
    r.friction.redis.available
      ? `Redis ${r.friction.redis.redisVersion} on 127.0.0.1; commands counted at the ioredis client. Redis server time per decision (\`INFO commandstats\` delta, other clients of the server add noise): \`RedisStore\` ${r.friction.redis.serverUsPerDecision.registryRedis.toFixed(1)} µs, \`RateLimiterRedis\` ${r.friction.redis.serverUsPerDecision.rateLimiterRedis.toFixed(1)} µs — with 64 in flight, Redis's single thread running the controller step in Lua bounds the registry's rate.`
      : 'Redis rows not available in this run.',
    '',
    '### 6. Memory per tracked client',
    '',
    `${int(memory.clients)} clients, one limited and one read call each, heap plus \`ArrayBuffer\` delta after full GC: \`FrictionRegistry\` on \`MemoryStore\` **${int(memory.registryBytesPerClient)} bytes per client** with the adaptive controller (${int(memory.registryClientCount)} states held), **${int(memory.proportionalBytesPerClient)}** with the proportional one; rate-limiter-flexible \`RateLimiterMemory\` ${int(memory.rateLimiterBytesPerKey)} bytes per key. The registry is bounded by \`maxClients\` (default 1 000).`,
    '',
    ...notesFor(r, targets),
  ].join('\n');
}

/** Writes the section into BENCHMARKS.md (adding `## Benchmarks` with markers when absent). */
export async function writeReport(r: BenchResults): Promise<string> {
  const current = await readFile(FILE, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${START}\n${renderSection(r)}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  let next: string;
  if (start >= 0 && end > start) {
    next = current.slice(0, start) + block + current.slice(end + END.length);
  } else {
    const lines = current.split('\n');
    const title = lines[0]?.startsWith('# ') ? 1 : 0;
    next = [...lines.slice(0, title), '', '## Benchmarks', '', block, '', ...lines.slice(title)]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
  }
  await writeFile(FILE, next);
  return FILE;
}

/** The one-line JSON summary printed last. */
export function summaryLine(r: BenchResults): Record<string, unknown> {
  const mem = r.friction.memory;
  const redis = r.friction.redis;
  const round = (n: number) => Math.round(n);
  return {
    bench: 'mcp-authflow-resource',
    date: r.machine.date,
    cores: r.machine.cores,
    node: r.machine.node,
    gate: {
      unprotectedRps: round(r.gate.unprotected.rps),
      protectedRps: round(r.gate.protected.rps),
      ratio: Number(r.gate.ratio.toFixed(3)),
      p99Ms: [r.gate.unprotected.p99, r.gate.protected.p99],
      cpuUsPerRequest: [
        round(r.gate.cpuUsPerRequest.unprotected),
        round(r.gate.cpuUsPerRequest.protected),
      ],
    },
    mcp: {
      unprotectedRps: round(r.mcp.unprotected.rps),
      cachedRps: round(r.mcp.cached.rps),
      uncachedRps: round(r.mcp.uncached.rps),
      cachedRatio: Number(r.mcp.cachedRatio.toFixed(3)),
      uncachedRatio: Number(r.mcp.uncachedRatio.toFixed(3)),
    },
    fanIn: {
      oneToken: r.fanIn.oneToken.introspections,
      oneTokenProvider: r.fanIn.provider.introspections,
      thousandTokens: r.fanIn.manyTokens.introspections,
    },
    flood: {
      maxInFlight: r.flood.maxInFlightSeen,
      cap: r.flood.maxInFlight,
      peakRssMiB: round(r.flood.rssPeak / 2 ** 20),
    },
    friction: {
      controller: round(rate(mem, 'controller')),
      controllerProportional: round(rate(mem, 'controllerProportional')),
      registryMemory: round(rate(mem, 'registryMemory')),
      registryMemoryProportional: round(rate(mem, 'registryMemoryProportional')),
      rateLimiterMemory: round(rate(mem, 'rateLimiterMemory')),
      perCpuSecond: {
        controller: round(cpuRate(mem, 'controller')),
        controllerProportional: round(cpuRate(mem, 'controllerProportional')),
        registryMemory: round(cpuRate(mem, 'registryMemory')),
        registryMemoryProportional: round(cpuRate(mem, 'registryMemoryProportional')),
        rateLimiterMemory: round(cpuRate(mem, 'rateLimiterMemory')),
        registryRedis64: redis.available ? round(cpuRate(redis.rates, 'registryRedis64')) : null,
        rateLimiterRedis64: redis.available
          ? round(cpuRate(redis.rates, 'rateLimiterRedis64'))
          : null,
      },
      registryRedis: redis.available ? round(rate(redis.rates, 'registryRedis64')) : null,
      rateLimiterRedis: redis.available ? round(rate(redis.rates, 'rateLimiterRedis64')) : null,
      redisCommandsPerDecision: redis.available ? redis.commandsPerDecision.registryRedis : null,
    },
    memoryBytesPerClient: round(r.memory.registryBytesPerClient),
    memoryBytesPerClientProportional: round(r.memory.proportionalBytesPerClient),
    targetsMissed: verdicts(r)
      .filter((t) => t.pass === false)
      .map((t) => t.name),
    durationS: round(r.durationS),
  };
}
