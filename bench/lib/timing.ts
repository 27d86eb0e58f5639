/**
 * Time-boxed operation counters for in-process micro benchmarks.
 *
 * @module
 */

import { median } from './load.js';

const CHUNK = 1024;

/** Calls `op(i)` synchronously for about `budgetMs`; returns operations per second. */
export function syncRate(op: (i: number) => unknown, budgetMs: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let k = 0; k < CHUNK; k++) op(n++);
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

/**
 * Runs `op(i)` for about `budgetMs` with `inFlight` operations outstanding at all times (1: each
 * awaited before the next); returns operations per second.
 */
export async function asyncRate(
  op: (i: number) => Promise<unknown>,
  budgetMs: number,
  inFlight = 1,
): Promise<number> {
  let n = 0;
  const start = performance.now();
  const deadline = start + budgetMs;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      for (let k = 0; k < 64; k++) await op(n++);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return (n * 1000) / (performance.now() - start);
}

/** A named contender of {@link rounds}: returns operations per second for one round. */
export interface Contender {
  readonly name: string;
  run(): number | Promise<number>;
}

/** One contender's figures: operations per wall-clock second and per CPU-second of this process. */
export interface RoundFigures {
  /** Median operations per wall-clock second. */
  readonly median: number;
  readonly runs: readonly number[];
  /**
   * Median operations per CPU-second (user + system time of this process, every thread): steadier
   * than wall-clock rates on a shared machine, where other processes take the cores.
   */
  readonly cpuMedian: number;
  readonly cpuRuns: readonly number[];
}

/**
 * Runs every contender `count` times, alternating the order each round, after one warm-up run
 * each; returns the median rate per contender name and the raw rates.
 */
export async function rounds(
  contenders: readonly Contender[],
  count: number,
): Promise<Record<string, RoundFigures>> {
  for (const c of contenders) await c.run();
  const runs = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const cpuRuns = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < count; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const rate = await c.run();
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      runs.get(c.name)!.push(rate);
      cpuRuns.get(c.name)!.push(cpuMs > 0 ? (rate * wallMs) / cpuMs : rate);
    }
  }
  return Object.fromEntries(
    [...runs].map(([name, list]) => {
      const cpuList = cpuRuns.get(name)!;
      return [
        name,
        {
          median: median(list),
          runs: list.map((x) => Math.round(x)),
          cpuMedian: median(cpuList),
          cpuRuns: cpuList.map((x) => Math.round(x)),
        },
      ];
    }),
  );
}
