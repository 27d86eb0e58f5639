/**
 * Absolute ceilings (DESIGN §6.6): whatever a tool's share, one client key gets about `limit`
 * calls of it (or of a group's configured members together) per `windowMs`.
 *
 * The algorithm is GCRA (the generic cell rate algorithm of ITU-T I.371) in its
 * continuous-state leaky-bucket form, so each ceiling costs two numbers per client: the bucket
 * level `x` (in calls) and the time `at` it was last written. At time `t` the level has drained
 * to `max(0, x − max(0, t − at) × limit / windowMs)`; a call is admitted when that level plus
 * one is at most `limit`, and an admitted call adds one. Exactly what this guarantees:
 *
 * - the long-run rate is at most `limit / windowMs`;
 * - a quiet client may burst `limit` calls at once (the bucket starts empty);
 * - any span of `L` ms holds fewer than `limit + L × limit / windowMs` admitted calls, so any
 *   window of `windowMs` holds at most `2 × limit − 1`, and any `n` consecutive windows at most
 *   `(n + 1) × limit − 1`.
 *
 * A clock that steps back (another replica's) never drains the bucket: elapsed time is clamped
 * at 0 and `at` only moves forward. Every operation is an IEEE double operation in a fixed
 * order, so the Redis scripts (same formula in Lua) decide bit-identically.
 *
 * @module
 */

import type { FrictionCeiling, ResolvedCeiling } from './ceiling-options.js';
import type { FrictionResult } from './decision.js';

export type { FrictionCeiling, ResolvedCeiling } from './ceiling-options.js';

/** The per-client ceiling state: one bucket level and one write time per ceiling. @internal */
export interface CeilingFields {
  /** Bucket level per ceiling (index as `config.ceilings`), in calls. */
  ceilLevel: number[];
  /** Epoch ms of the last write of each bucket. */
  ceilAt: number[];
}

/** The bucket level of `c` at `t`, drained from `x` written at `at`. @internal */
export function drainedLevel(c: FrictionCeiling, x: number, at: number, t: number): number {
  const elapsed = t > at ? t - at : 0;
  const v = x - (elapsed * c.limit) / c.windowMs;
  return Math.max(v, 0);
}

/** The ceiling that refuses a call, with its drained level. @internal */
export interface CeilingRefusal {
  readonly index: number;
  readonly level: number;
}

/**
 * Milliseconds until a bucket at `level` admits a call again, in [1, windowMs]: the time to
 * drain `level + 1 − limit` calls, plus one millisecond to land strictly below.
 * @internal
 */
export function ceilingWaitMs(c: FrictionCeiling, level: number): number {
  const wait = Math.ceil(((level + 1 - c.limit) * c.windowMs) / c.limit) + 1;
  return Math.min(c.windowMs, Math.max(1, wait));
}

/**
 * Which of `indices` (ceilings of the called tool) refuses a call at `t`: the one that frees up
 * last, or undefined when every bucket has room.
 * @internal
 */
export function ceilingRefusal(
  ceilings: readonly ResolvedCeiling[],
  indices: readonly number[],
  s: CeilingFields,
  t: number,
): CeilingRefusal | undefined {
  let worst: CeilingRefusal | undefined;
  let worstWait = 0;
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j]!;
    const c = ceilings[index]!;
    const level = drainedLevel(c, s.ceilLevel[index]!, s.ceilAt[index]!, t);
    if (level + 1 <= c.limit) continue;
    const wait = ceilingWaitMs(c, level);
    if (worst === undefined || wait > worstWait) {
      worst = { index, level };
      worstWait = wait;
    }
  }
  return worst;
}

/** Adds an admitted call to every bucket in `indices`. @internal */
export function chargeCeilings(
  ceilings: readonly ResolvedCeiling[],
  indices: readonly number[],
  s: CeilingFields,
  t: number,
): void {
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j]!;
    s.ceilLevel[index] =
      drainedLevel(ceilings[index]!, s.ceilLevel[index]!, s.ceilAt[index]!, t) + 1;
    if (t > s.ceilAt[index]!) s.ceilAt[index] = t;
  }
}

/** The message naming a ceiling, e.g. `Ceiling reached: 60 calls per 3600000 ms for tool 'x'`. */
export function ceilingMessage(c: ResolvedCeiling): string {
  return `Ceiling reached: ${c.limit} calls per ${c.windowMs} ms for ${c.kind} '${c.name}'`;
}

/**
 * Turns an allowed friction result into the refusal of ceiling `r` (same shape, level
 * `BLOCKED`, a message naming the ceiling, `retryAfterMs` ≤ `windowMs`).
 * @internal
 */
export function ceilingResult(
  ceilings: readonly ResolvedCeiling[],
  result: FrictionResult,
  r: CeilingRefusal,
): FrictionResult {
  const c = ceilings[r.index]!;
  return {
    ...result,
    allowed: false,
    frictionLevel: 'BLOCKED',
    message: ceilingMessage(c),
    retryAfterMs: ceilingWaitMs(c, r.level),
  };
}

/** The peak drained level of every ceiling at `t`, or undefined when all are empty. @internal */
export function ceilingLevels(
  ceilings: readonly ResolvedCeiling[],
  s: CeilingFields,
  t: number,
): number[] | undefined {
  let any = false;
  const out = ceilings.map((c, i) => {
    const v = drainedLevel(c, s.ceilLevel[i]!, s.ceilAt[i]!, t);
    if (v > 0) any = true;
    return v;
  });
  return any ? out : undefined;
}
