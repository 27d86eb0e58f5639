/**
 * The pure step functions over a client's {@link FrictionState}: create, check, record,
 * check-and-record, peaks and restore. The controller class and the memory store call these;
 * the Redis scripts run the same math in Lua. The controller's own part of each step is
 * `config.algorithm` (see `algorithm.ts`); the window, the ceilings and the result are shared.
 * O(configured tools) work, no allocation on the hot path.
 *
 * @module
 * @internal
 */

import { ceilingRefusal, ceilingResult, chargeCeilings } from './ceiling.js';
import { decayFactor } from './decay.js';
import { type FrictionResult, unconfiguredResult } from './decision.js';
import { copied, filled } from './number-array.js';
import type { ResolvedFrictionConfig } from './resolved-config.js';
import type { FrictionState, LiveState } from './state-layout.js';
import { emptyRing, rawRate } from './window.js';

export type { FrictionState, LiveState, WindowRing } from './state-layout.js';

/** One shared (frozen, never written) empty array for configurations without ceilings. */
const NO_CEILINGS = Object.freeze([]) as unknown as number[];

function ceilingArray(n: number): number[] {
  return n === 0 ? NO_CEILINGS : filled(n, 0);
}

type SaturationArrays = Pick<FrictionState, 'target' | 'satCount' | 'satFlag'>;

/**
 * Arrays that only saturation relief writes: with relief off (`saturationWindow` 0, the
 * default) every client of a configuration shares one frozen copy.
 */
const UNWRITTEN = new WeakMap<ResolvedFrictionConfig, SaturationArrays>();

function saturationArrays(cfg: ResolvedFrictionConfig): SaturationArrays {
  const fresh = () => ({
    target: copied(cfg.tools.map((t) => t.targetRate)),
    satCount: filled(cfg.tools.length, 0),
    satFlag: filled(cfg.tools.length, 0),
  });
  if (cfg.saturationWindow > 0) return fresh();
  let shared = UNWRITTEN.get(cfg);
  if (shared === undefined) {
    const f = fresh();
    Object.freeze(f.target);
    Object.freeze(f.satCount);
    Object.freeze(f.satFlag);
    shared = f;
    UNWRITTEN.set(cfg, shared);
  }
  return shared;
}

/** Fresh state for a configuration. */
export function createState(cfg: ResolvedFrictionConfig): LiveState {
  const k = cfg.tools.length;
  const sat = saturationArrays(cfg);
  const s: LiveState = {
    v: 1,
    n: 0,
    lastT: null,
    spent: 0,
    friction: filled(k, 0),
    ema: filled(k, 0),
    target: sat.target,
    satCount: sat.satCount,
    satFlag: sat.satFlag,
    groupEma: filled(cfg.groups.length, 0),
    ring: emptyRing(cfg),
    head: 0,
    size: 0,
    counts: filled(k, 0),
    others: [],
    otherCounts: [],
    ceilLevel: ceilingArray(cfg.ceilings.length),
    ceilAt: ceilingArray(cfg.ceilings.length),
  };
  cfg.algorithm.createFields(cfg, s);
  return s;
}

/** A live state as plain data (a deep copy; the ring as a plain array). */
export function plainState(s: LiveState): FrictionState {
  const copy = structuredClone(s) as LiveState;
  return { ...copy, ring: Array.from(copy.ring) };
}

/** A live copy of a plain state (its ring typed as {@link createState} makes it). */
export function liveState(cfg: ResolvedFrictionConfig, s: LiveState): LiveState {
  const copy = structuredClone(s) as LiveState;
  const ring = emptyRing(cfg);
  for (let i = 0; i < ring.length; i++) ring[i] = s.ring[i]!;
  copy.ring = ring;
  return copy;
}

/** The decision for `name` at time `t`, with time decay applied to the view (not stored). */
export function checkState(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  t: number,
): FrictionResult {
  const i = cfg.toolIndex.get(name);
  if (i === undefined) return unconfiguredResult(name, rawRate(cfg, s, name));
  return checkIndexed(cfg, s, i, t, decayFactor(cfg, s, t));
}

function checkIndexed(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  i: number,
  t: number,
  d: number,
): FrictionResult {
  const result = cfg.algorithm.check(cfg, s, i, t, d);
  if (!result.allowed) return result;
  return withCeilings(cfg, s, i, t, result);
}

/**
 * Applies the ceilings of tool `i` to a result the share check allowed: the refusal of the
 * ceiling that frees up last, or `result` unchanged.
 */
export function withCeilings(
  cfg: ResolvedFrictionConfig,
  s: Pick<LiveState, 'ceilLevel' | 'ceilAt'>,
  i: number,
  t: number,
  result: FrictionResult,
): FrictionResult {
  const indices = cfg.toolCeilings[i]!;
  if (indices.length === 0) return result;
  const refusal = ceilingRefusal(cfg.ceilings, indices, s, t);
  return refusal === undefined ? result : ceilingResult(cfg.ceilings, result, refusal);
}

/**
 * Records one call of `name` at `t` (DESIGN §3.5 steps 1–5). `charge` deducts the tool's
 * current cost from the budget (a checked call); unconfigured recording never charges.
 * `onSaturation` is called once per tool when saturation is first detected.
 */
export function recordState(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  t: number,
  charge: boolean,
  onSaturation?: (toolIndex: number) => void,
): void {
  const ti = cfg.toolIndex.get(name);
  recordIndexed(cfg, s, name, ti, t, decayFactor(cfg, s, t), charge, onSaturation);
}

function recordIndexed(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  ti: number | undefined,
  t: number,
  d: number,
  charge: boolean,
  onSaturation: ((toolIndex: number) => void) | undefined,
): void {
  if (charge && ti !== undefined && cfg.toolCeilings[ti]!.length > 0) {
    chargeCeilings(cfg.ceilings, cfg.toolCeilings[ti]!, s, t);
  }
  cfg.algorithm.record(cfg, s, name, ti, t, d, charge, onSaturation);
  // A clock that steps back (another replica's) must not make the next step decay twice.
  if (s.lastT === null || t > s.lastT) s.lastT = t;
}

/**
 * The registry's decision: check at `t` and, when allowed, record (charged). Returns the check
 * result from before the call was recorded; a refused call is not recorded.
 */
export function checkAndRecordState(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  t: number,
  onSaturation?: (toolIndex: number) => void,
): FrictionResult {
  const ti = cfg.toolIndex.get(name);
  const d = decayFactor(cfg, s, t);
  const result =
    ti === undefined
      ? unconfiguredResult(name, rawRate(cfg, s, name))
      : checkIndexed(cfg, s, ti, t, d);
  if (result.allowed) recordIndexed(cfg, s, name, ti, t, d, true, onSaturation);
  return result;
}

/** Per-tool friction at `t` that is at least `min` (for the penalty store), or undefined. */
export function peakFrictions(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  t: number,
  min: number,
): Record<string, number> | undefined {
  return cfg.algorithm.peaks(cfg, s, t, min);
}

/**
 * Applies saved frictions to a fresh state as a floor (never lowering, clamped to [0, 1]).
 * `levels` are the frictions as of `t` (already decayed for the time since their capture), so
 * the state's last-call time becomes `t`: time decay, also on `check`, continues from there —
 * without it a restored client that only retries the blocked tool would never recover.
 */
export function restoreFrictions(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  levels: Readonly<Record<string, number>>,
  t: number,
): void {
  cfg.algorithm.restore(cfg, s, levels, t);
}
