/**
 * Benchmark 1, gate overhead: the same Express route unprotected vs behind `requireBearerAuth`
 * with a cached valid token (introspected once at the fixture `oidc-provider`), alternating
 * A B A B … in one run; the servers live in a child process, autocannon in this one. The server's
 * CPU time per request is measured too: on a shared machine it is steadier than req/s.
 *
 * @module
 */

import { startChild } from './lib/child.js';
import { type LoadFigures, type LoadTarget, loadRun, median } from './lib/load.js';

/** Settings of {@link runGateOverhead}. */
export interface GateSettings {
  readonly durationS: number;
  readonly connections: number;
  /** Runs per variant (alternated: A B, then B A, …). */
  readonly rounds: number;
  /** Warm-up seconds per variant before the measured runs. */
  readonly warmupS: number;
}

/** Median figures of one variant. */
export interface VariantFigures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** Requests completed over the measured runs. */
  readonly requests: number;
  /** Sum of the probe's deltas over the measured runs (e.g. introspections), when probed. */
  readonly probed?: number;
  /** req/s of each measured run, in order. */
  readonly runs: readonly number[];
}

/** A load target with an optional counter read before and after each run. */
export interface ProbedTarget extends LoadTarget {
  readonly probe?: () => Promise<number>;
}

/** One measured run, with the probe's delta when the target has a probe. */
export interface ProbedFigures extends LoadFigures {
  readonly probed?: number;
}

/** Result of {@link runGateOverhead}. */
export interface GateFigures {
  readonly unprotected: VariantFigures;
  readonly protected: VariantFigures;
  /** protected / unprotected median req/s. */
  readonly ratio: number;
  /** Server CPU time (user + system) per request over the measured runs, µs. */
  readonly cpuUsPerRequest: { readonly unprotected: number; readonly protected: number };
}

function cpuPerRequest(v: VariantFigures): number {
  return (v.probed ?? Number.NaN) / Math.max(v.requests, 1);
}

/** Reduces runs of one variant to medians. */
export function summarise(runs: readonly ProbedFigures[]): VariantFigures {
  const probed = runs.some((r) => r.probed !== undefined)
    ? runs.reduce((a, r) => a + (r.probed ?? 0), 0)
    : undefined;
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failures: runs.reduce((a, r) => a + r.failures, 0),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    ...(probed === undefined ? {} : { probed }),
    runs: runs.map((r) => Math.round(r.rps)),
  };
}

async function probedRun(t: ProbedTarget, s: GateSettings): Promise<ProbedFigures> {
  const before = await t.probe?.();
  const figures = await loadRun(t, s.durationS, s.connections);
  if (t.probe === undefined || before === undefined) return figures;
  return { ...figures, probed: (await t.probe()) - before };
}

/**
 * Runs `targets` alternately `rounds` times each, after a warm-up run of each.
 *
 * @returns Per-target list of runs, in target order.
 */
export async function alternate(
  targets: readonly ProbedTarget[],
  s: GateSettings,
): Promise<ProbedFigures[][]> {
  for (const t of targets) await loadRun(t, s.warmupS, s.connections);
  const out: ProbedFigures[][] = targets.map(() => []);
  for (let round = 0; round < s.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) out[targets.indexOf(t)]!.push(await probedRun(t, s));
  }
  return out;
}

/** Runs benchmark 1; `serverPath` is the compiled `bench/servers/http-server.ts`. */
export async function runGateOverhead(serverPath: string, s: GateSettings): Promise<GateFigures> {
  const child = startChild(serverPath);
  try {
    const info = await child.call<{ open: string; protected: string; token: string }>('gate');
    const probe = () => child.call<number>('cpu');
    const [open, guarded] = await alternate(
      [
        { url: info.open, probe },
        { url: info.protected, headers: { authorization: `Bearer ${info.token}` }, probe },
      ],
      s,
    );
    const unprotected = summarise(open!);
    const protectedFigures = summarise(guarded!);
    return {
      unprotected,
      protected: protectedFigures,
      ratio: protectedFigures.rps / unprotected.rps,
      cpuUsPerRequest: {
        unprotected: cpuPerRequest(unprotected),
        protected: cpuPerRequest(protectedFigures),
      },
    };
  } finally {
    await child.close();
  }
}
