/**
 * Gate CPU per request (issue 18 item 3, DESIGN §5: ≤ 1.10× unprotected on `node:http`): a
 * JSON-RPC `POST /mcp` with a cached valid token, on four apps in one child process — plain
 * `node:http` unprotected and behind the `node:http` `requireBearerAuth`, Express
 * (`express.json()`) unprotected and behind the Express `requireBearerAuth`. Every contender gets
 * the same request (same headers, same body) and parses the JSON body; contenders alternate
 * (A B C D, then D C B A, …) and the server process's CPU time (`process.cpuUsage()`, user +
 * system) is read around each run, so the figure is server CPU per request, steadier than req/s
 * on a shared machine.
 *
 * The apps introspect at a plain counting server, not at the fixture `oidc-provider`, whose
 * `AsyncLocalStorage` would turn promise hooks on in the server process (`--with-provider`
 * measures that case).
 *
 * `--rate R` offers every contender the same R req/s (autocannon `overallRate`) instead of as
 * many as it can take: the server's per-request CPU depends on how many requests each event-loop
 * turn serves, so equal offered load compares like with like. Unbounded, the faster contender
 * batches more requests per turn and pays less per request, which widens the ratio and its
 * spread on a loaded machine (one run of the unprotected `node:http` app varied 24–35 µs).
 *
 * `npx tsx bench/gate-node.ts [--quick] [--rounds N] [--rate R] [--with-provider]` (builds the
 * server like `npm run bench`).
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { alternate, type GateSettings, type ProbedFigures } from './gate-overhead.js';
import { buildWorkers } from './lib/build.js';
import { startChild } from './lib/child.js';
import { median } from './lib/load.js';

/** One contender's figures over the measured runs. */
export interface ContenderFigures {
  /** Median server CPU µs per request, and each run's. */
  readonly cpuUs: number;
  readonly cpuUsRuns: readonly number[];
  /** Requests per server CPU-second (1e6 / `cpuUs`). */
  readonly opsPerCpuS: number;
  /** Median wall-clock req/s. */
  readonly rps: number;
  readonly failures: number;
}

/** Result of {@link runGateNode}. */
export interface GateNodeFigures {
  readonly node: { readonly open: ContenderFigures; readonly guarded: ContenderFigures };
  readonly express: { readonly open: ContenderFigures; readonly guarded: ContenderFigures };
  /** Guarded / unprotected median CPU per request (target ≤ 1.10 on `node:http`). */
  readonly cpuRatio: { readonly node: number; readonly express: number };
  /** Per-round ratios (paired runs of the same round), for the spread. */
  readonly cpuRatioRuns: { readonly node: readonly number[]; readonly express: readonly number[] };
}

const BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
});

function figures(runs: readonly ProbedFigures[]): ContenderFigures {
  const cpuUsRuns = runs.map((r) => (r.probed ?? Number.NaN) / Math.max(r.requests, 1));
  const cpuUs = median(cpuUsRuns);
  return {
    cpuUs,
    cpuUsRuns,
    opsPerCpuS: 1e6 / cpuUs,
    rps: median(runs.map((r) => r.rps)),
    failures: runs.reduce((a, r) => a + r.failures, 0),
  };
}

const ratios = (a: ContenderFigures, b: ContenderFigures) =>
  a.cpuUsRuns.map((v, i) => v / (b.cpuUsRuns[i] as number));

/** Runs the benchmark; `serverPath` is the compiled `bench/servers/http-server.ts`. */
export async function runGateNode(
  serverPath: string,
  s: GateSettings,
  withProvider = false,
  rate?: number,
): Promise<GateNodeFigures> {
  const child = startChild(serverPath);
  try {
    const info = await child.call<{
      nodeOpen: string;
      nodeGuarded: string;
      expressOpen: string;
      expressGuarded: string;
      token: string;
    }>('gatePost', { withProvider });
    const probe = () => child.call<number>('cpu');
    const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' };
    const target = (url: string) => ({
      url,
      method: 'POST' as const,
      headers,
      body: BODY,
      probe,
      ...(rate === undefined ? {} : { rate }),
    });
    const [nodeOpen, nodeGuarded, expressOpen, expressGuarded] = (
      await alternate(
        [
          target(info.nodeOpen),
          target(info.nodeGuarded),
          target(info.expressOpen),
          target(info.expressGuarded),
        ],
        s,
      )
    ).map(figures) as [ContenderFigures, ContenderFigures, ContenderFigures, ContenderFigures];
    return {
      node: { open: nodeOpen, guarded: nodeGuarded },
      express: { open: expressOpen, guarded: expressGuarded },
      cpuRatio: {
        node: nodeGuarded.cpuUs / nodeOpen.cpuUs,
        express: expressGuarded.cpuUs / expressOpen.cpuUs,
      },
      cpuRatioRuns: {
        node: ratios(nodeGuarded, nodeOpen),
        express: ratios(expressGuarded, expressOpen),
      },
    };
  } finally {
    await child.close();
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const quick = process.argv.includes('--quick');
  const roundsAt = process.argv.indexOf('--rounds');
  const rateAt = process.argv.indexOf('--rate');
  const rounds = roundsAt === -1 ? (quick ? 2 : 4) : Number(process.argv[roundsAt + 1]);
  const settings = { durationS: quick ? 2 : 4, connections: 16, rounds, warmupS: quick ? 1 : 2 };
  buildWorkers()
    .then((workers) =>
      runGateNode(
        workers['http-server'],
        settings,
        process.argv.includes('--with-provider'),
        rateAt === -1 ? undefined : Number(process.argv[rateAt + 1]),
      ),
    )
    .then((f) => process.stdout.write(`${JSON.stringify(f)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
