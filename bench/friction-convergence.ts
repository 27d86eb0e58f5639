/**
 * Friction convergence simulation: a client attempts one limited tool (target 3 %) in a given
 * fraction of its calls and reads otherwise; refused attempts are not recorded. Reports the
 * achieved share of allowed calls and how fast it gets within ±1 percentage point of the target.
 *
 * Run: `npx tsx bench/friction-convergence.ts`
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { FrictionController } from '../src/friction/controller.js';
import { mulberry32 } from './lib/prng.js';

/** Allowed calls over which the share is measured for the ±1 pp band. */
const TRAIL = 1000;

/** One simulation's figures. */
export interface ConvergenceFigures {
  readonly attemptShare: number;
  readonly calls: number;
  /** Allowed calls of the tool / all allowed calls, over the whole run. */
  readonly achievedShare: number;
  /** Same, over the last 1 000 calls. */
  readonly tailShare: number;
  /** Refused attempts / attempts. */
  readonly refusedShare: number;
  /** First call after which the share over the last 1 000 allowed calls stays within ±1 pp. */
  readonly callsToBand: number | undefined;
}

/**
 * Runs one simulation with the default controller configuration, one call per second.
 *
 * @param attemptShare - Fraction of calls that attempt the limited tool.
 * @param target - The tool's target share.
 * @param calls - Number of calls.
 * @param seed - PRNG seed.
 */
export function simulate(
  attemptShare: number,
  target = 0.03,
  calls = 5000,
  seed = 1,
  intervalMs = 1000,
): ConvergenceFigures {
  const c = new FrictionController({ toolConfigs: { delete_task: { targetRate: target } } });
  const rand = mulberry32(seed);
  const recent: number[] = [];
  let allowedTool = 0;
  let allowed = 0;
  let attempts = 0;
  let refused = 0;
  let tailTool = 0;
  let tailAllowed = 0;
  let lastOutside = 0;
  let lastAllowedAt = 0;
  for (let i = 1; i <= calls; i++) {
    const t = i * intervalMs;
    let hit = 0;
    if (rand() < attemptShare) {
      attempts++;
      const r = c.checkAndRecord('delete_task', t);
      if (!r.allowed) {
        refused++;
        continue;
      }
      hit = 1;
    } else {
      c.recordUnconfigured('list_tasks', t);
    }
    allowed++;
    lastAllowedAt = i;
    allowedTool += hit;
    if (i > calls - 1000) {
      tailAllowed++;
      tailTool += hit;
    }
    recent.push(hit);
    if (recent.length > TRAIL) recent.shift();
    const share = recent.reduce((a, b) => a + b, 0) / recent.length;
    if (recent.length < TRAIL || Math.abs(share - target) > 0.01) lastOutside = i;
  }
  return {
    attemptShare,
    calls,
    achievedShare: allowedTool / allowed,
    tailShare: tailTool / tailAllowed,
    refusedShare: attempts === 0 ? 0 : refused / attempts,
    callsToBand: lastOutside >= lastAllowedAt ? undefined : lastOutside + 1,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}

function main(): void {
  const intervalMs = Number(process.argv[2] ?? 1000);
  console.log(`default config, target 3 %, 5 000 calls, one call every ${intervalMs} ms`);
  const rows = [0.1, 0.3, 0.5].map((p) => simulate(p, 0.03, 5000, 1, intervalMs));
  console.log(
    '| attempts | achieved share (5 000 calls) | last 1 000 calls | refused attempts | calls to ±1 pp (stays) |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${pct(r.attemptShare)} | ${pct(r.achievedShare)} | ${pct(r.tailShare)} | ${pct(r.refusedShare)} | ${r.callsToBand ?? 'never'} |`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  main();
