/**
 * Metrics over a simulation {@link Trace}. "Admitted share" of a tool = its allowed calls / all
 * allowed calls (reads included); the "desired" share is min(demand, target).
 *
 * @module
 */

import type { Trace } from './harness.js';

/** Admitted calls a window needs before its share is judged. */
const MIN_JUDGED = 30;

/** Index of the first decision at or after `tSec`. */
function lowerBound(t: readonly number[], tSec: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! < tSec) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Admitted share of `tool` in [a, b) seconds (NaN when nothing was admitted). */
export function admittedShare(tr: Trace, a: number, b: number, tool = 0): number {
  const { all, hit } = admittedCounts(tr, a, b, tool);
  return all === 0 ? Number.NaN : hit / all;
}

function admittedCounts(tr: Trace, a: number, b: number, tool: number) {
  let all = 0;
  let hit = 0;
  for (let k = lowerBound(tr.t, a); k < tr.t.length && tr.t[k]! < b; k++) {
    if (tr.allowed[k] !== 1) continue;
    all++;
    if (tr.tool[k] === tool) hit++;
  }
  return { all, hit };
}

/** Allowed/refused changes between consecutive attempts of `tool` in [a, b), per minute. */
export function togglesPerMinute(tr: Trace, a: number, b: number, tool = 0): number {
  let prev = -1;
  let toggles = 0;
  for (let k = lowerBound(tr.t, a); k < tr.t.length && tr.t[k]! < b; k++) {
    if (tr.tool[k] !== tool) continue;
    const v = tr.allowed[k]!;
    if (prev !== -1 && v !== prev) toggles++;
    prev = v;
  }
  return (toggles * 60) / (b - a);
}

/** Refused attempts of any of `tools` in [a, b). */
export function refusals(tr: Trace, tools: readonly number[], a = 0, b = Infinity): number {
  let n = 0;
  for (let k = lowerBound(tr.t, a); k < tr.t.length && tr.t[k]! < b; k++) {
    if (tr.allowed[k] === 0 && tools.includes(tr.tool[k]!)) n++;
  }
  return n;
}

/** Attempts of `tool` in [a, b) and how many were allowed. */
export function attempts(tr: Trace, a: number, b: number, tool = 0) {
  let total = 0;
  let allowed = 0;
  for (let k = lowerBound(tr.t, a); k < tr.t.length && tr.t[k]! < b; k++) {
    if (tr.tool[k] !== tool) continue;
    total++;
    allowed += tr.allowed[k]!;
  }
  return { total, allowed };
}

/** The transient after a step at `fromS`: settling time and overshoot of the windowed share. */
export interface StepResponse {
  /** Seconds from the step until the windowed share enters ±`band` of `desired` for good. */
  readonly settlingS: number | undefined;
  /** Largest windowed share above `desired` after the step (0 when never above). */
  readonly overshoot: number;
}

/**
 * Sliding-window analysis of the admitted share after a step, sampled every `windowS / 10`;
 * windows start no earlier than the step and are judged from 30 admitted calls on.
 *
 * @param tr - The trace.
 * @param fromS - Step time.
 * @param toS - End of the analysed period.
 * @param desired - The share the controller should settle at.
 * @param windowS - Length of the sliding window, seconds.
 * @param band - Allowed deviation. @default 0.05
 */
export function stepResponse(
  tr: Trace,
  fromS: number,
  toS: number,
  desired: number,
  windowS: number,
  band = 0.05,
): StepResponse {
  const dt = windowS / 10;
  let lastOutside = fromS;
  let overshoot = 0;
  for (let end = fromS + dt; end <= toS + 1e-9; end += dt) {
    const { all, hit } = admittedCounts(tr, Math.max(fromS, end - windowS), end, 0);
    if (all < MIN_JUDGED) continue;
    const share = hit / all;
    overshoot = Math.max(overshoot, share - desired);
    if (Math.abs(share - desired) > band) lastOutside = end;
  }
  return { settlingS: lastOutside + dt < toS ? lastOutside - fromS : undefined, overshoot };
}
