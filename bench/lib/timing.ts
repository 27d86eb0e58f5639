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

/**
 * Runs every contender `count` times, alternating the order each round, after one warm-up run
 * each; returns the median rate per contender name and the raw rates.
 */
export async function rounds(
  contenders: readonly Contender[],
  count: number,
): Promise<Record<string, { readonly median: number; readonly runs: readonly number[] }>> {
  for (const c of contenders) await c.run();
  const runs = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < count; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) runs.get(c.name)!.push(await c.run());
  }
  return Object.fromEntries(
    [...runs].map(([name, list]) => [
      name,
      { median: median(list), runs: list.map((x) => Math.round(x)) },
    ]),
  );
}
