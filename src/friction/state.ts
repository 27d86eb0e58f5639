/**
 * The controller's state as a plain, JSON-serialisable object, and the pure step functions over
 * it. The controller class, the memory store and the Redis store's Lua script all run exactly
 * this math (DESIGN §3.5) over exactly this layout, so a decision is one atomic update of one
 * state object: O(configured tools) work, no allocation on the hot path.
 *
 * @module
 * @internal
 */

import {
  adaptiveAfterRecord,
  adaptiveBeforeRecord,
  adaptiveCheck,
  adaptivePeaks,
  adaptiveRestore,
  createAdaptiveFields,
} from './adaptive-state.js';
import { ceilingRefusal, ceilingResult, chargeCeilings } from './ceiling.js';
import type { ResolvedFrictionConfig } from './config.js';
import { configuredResult, type FrictionResult, unconfiguredResult } from './decision.js';
import { copied, filled } from './number-array.js';
import { detectSaturation } from './saturation.js';

/**
 * Per-client controller state. Index `i` of every per-tool array is the i-th configured tool
 * (`config.tools[i]`); groups follow `config.groups`.
 */
export interface FrictionState {
  /** Layout version. */
  v: 1;
  /** Recorded calls so far (for warm-up). */
  n: number;
  /** Epoch ms of the latest recorded call; `null` before the first one. */
  lastT: number | null;
  /** Total cost charged (the budget left is `defaultBudget − spent`). */
  spent: number;
  friction: number[];
  ema: number[];
  /** Effective targets (raised by saturation relief). */
  target: number[];
  satCount: number[];
  /** 1 once saturation was detected (sticky), else 0. */
  satFlag: number[];
  groupEma: number[];
  /**
   * Ring buffer of the last `windowSize` calls: a configured tool is stored as its index `i`,
   * an unconfigured one as `tools.length + j` where `j` is its slot in `others`; −1 = empty.
   */
  ring: number[];
  /** Next write position in `ring`. */
  head: number;
  /** Number of filled entries in `ring`. */
  size: number;
  /** Window count per configured tool. */
  counts: number[];
  /** Names of unconfigured tools present in the window (`''` = free slot). */
  others: string[];
  otherCounts: number[];
  /** GCRA bucket level per ceiling (index as `config.ceilings`), in calls; see `ceiling.ts`. */
  ceilLevel: number[];
  /** Epoch ms of the last write of each ceiling bucket. */
  ceilAt: number[];
  /** `'adaptive'` controller only: credit per tool, in calls (see `adaptive-state.ts`). */
  credit?: number[];
  /** `'adaptive'` only: credit per group, in calls. */
  groupCredit?: number[];
  /** `'adaptive'` only: 1 while the tool's gate is closed. */
  gate?: number[];
  /** `'adaptive'` only: epoch ms when the tool's gate last closed. */
  closedAt?: number[];
}

/**
 * The window ring of a live state: a typed array (2 bytes a call instead of 8), a plain array
 * in an exported or imported {@link FrictionState}.
 */
export type WindowRing = number[] | Int16Array | Int32Array;

/** A state as the step functions hold it: a {@link FrictionState} whose ring may be typed. */
export type LiveState = Omit<FrictionState, 'ring'> & { ring: WindowRing };

/** One shared (frozen, never written) empty array for configurations without ceilings. */
const NO_CEILINGS = Object.freeze([]) as unknown as number[];

function ceilingArray(n: number): number[] {
  return n === 0 ? NO_CEILINGS : filled(n, 0);
}

/** A ring of `cfg.windowSize` empty slots, as small as the slot numbers allow. */
function emptyRing(cfg: ResolvedFrictionConfig): WindowRing {
  // Slots hold −1 … tools + windowSize − 1 (at most windowSize unconfigured tools at once).
  const small = cfg.tools.length + cfg.windowSize <= 0x7fff;
  return (small ? new Int16Array(cfg.windowSize) : new Int32Array(cfg.windowSize)).fill(-1);
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
  return cfg.controller === 'adaptive' ? Object.assign(s, createAdaptiveFields(cfg)) : s;
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

/** Multiplicative time decay from the last recorded call to `t` (1 = none). */
export function decayFactor(cfg: ResolvedFrictionConfig, s: LiveState, t: number): number {
  const lambda = cfg.timeDecayRate;
  if (lambda <= 0 || s.lastT === null || !(t > s.lastT)) return 1;
  return Math.exp((-lambda * (t - s.lastT)) / 1000);
}

function otherSlot(s: LiveState, name: string): number {
  return s.others.indexOf(name);
}

/** Raw share of the window held by `name` (configured or not). */
export function rawRate(cfg: ResolvedFrictionConfig, s: LiveState, name: string): number {
  if (s.size === 0) return 0;
  const i = cfg.toolIndex.get(name);
  if (i !== undefined) return s.counts[i]! / s.size;
  const j = otherSlot(s, name);
  return j < 0 ? 0 : s.otherCounts[j]! / s.size;
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
  const result = shareCheck(cfg, s, i, t, d);
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

function shareCheck(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  i: number,
  t: number,
  d: number,
): FrictionResult {
  if (cfg.controller === 'adaptive') return adaptiveCheck(cfg, s, i, t);
  return configuredResult(cfg.tools[i]!, {
    friction: s.friction[i]! * d,
    ema: s.ema[i]! * d,
    effectiveTarget: s.target[i]!,
    saturated: s.satFlag[i] === 1,
    budgetRemaining: cfg.defaultBudget - s.spent,
    decayPerMs: cfg.timeDecayRate / 1000,
  });
}

function pushWindow(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  ti: number | undefined,
): void {
  const k = cfg.tools.length;
  if (s.size === cfg.windowSize) {
    const old = s.ring[s.head]!;
    if (old < k) s.counts[old]!--;
    else if (--s.otherCounts[old - k]! === 0) s.others[old - k] = '';
  } else {
    s.size++;
  }
  let slot = ti;
  if (slot !== undefined) {
    s.counts[slot]!++;
  } else {
    let j = otherSlot(s, name);
    if (j < 0) {
      j = s.others.indexOf('');
      if (j < 0) {
        // Grown by one exact copy (rare): `push` would over-allocate in every client.
        j = s.others.length;
        s.others = s.others.concat(name);
        s.otherCounts = s.otherCounts.concat(0);
      } else {
        s.others[j] = name;
      }
    }
    s.otherCounts[j]!++;
    slot = k + j;
  }
  s.ring[s.head] = slot;
  s.head = (s.head + 1) % cfg.windowSize;
}

function adjustTools(cfg: ResolvedFrictionConfig, s: LiveState, warm: boolean): void {
  const { emaAlpha: a, adjustmentRate: kappa, asymmetricDecay: beta, deadZone } = cfg;
  const size = s.size;
  for (let i = 0; i < s.ema.length; i++) {
    const e = a * (s.counts[i]! / size) + (1 - a) * s.ema[i]!;
    s.ema[i] = e;
    if (!warm) continue;
    const err = e - s.target[i]!;
    if (Math.abs(err) < deadZone) continue;
    let delta = kappa * err;
    if (delta < 0) delta *= beta;
    const f = s.friction[i]! + delta;
    s.friction[i] = Math.min(1, Math.max(0, f));
  }
}

function applyGroupPressure(cfg: ResolvedFrictionConfig, s: LiveState): void {
  const { emaAlpha: a, adjustmentRate: kappa, deadZone } = cfg;
  for (let g = 0; g < cfg.groups.length; g++) {
    const group = cfg.groups[g]!;
    const members = group.members;
    let agg = 0;
    for (let m = 0; m < members.length; m++) agg += s.ema[members[m]!]!;
    const ge = a * agg + (1 - a) * s.groupEma[g]!;
    s.groupEma[g] = ge;
    const err = ge - group.aggregateTarget;
    if (err <= deadZone) continue;
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      const share = agg > 0 ? s.ema[i]! / agg : 1 / group.size;
      const f = s.friction[i]! + kappa * err * share * group.pressureWeight;
      s.friction[i] = Math.min(1, Math.max(0, f));
    }
  }
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
  onSaturation?: (toolIndex: number) => void,
): void {
  if (charge && ti !== undefined && cfg.toolCeilings[ti]!.length > 0) {
    chargeCeilings(cfg.ceilings, cfg.toolCeilings[ti]!, s, t);
  }
  if (cfg.controller === 'adaptive') {
    adaptiveBeforeRecord(cfg, s, ti, t, charge);
    pushWindow(cfg, s, name, ti);
    s.n++;
    adjustTools(cfg, s, false);
    adaptiveAfterRecord(cfg, s, ti, t, onSaturation);
    if (s.lastT === null || t > s.lastT) s.lastT = t;
    return;
  }
  if (d !== 1) {
    for (let i = 0; i < s.friction.length; i++) {
      s.friction[i] = s.friction[i]! * d;
      s.ema[i] = s.ema[i]! * d;
    }
  }
  if (charge && ti !== undefined) {
    const tool = cfg.tools[ti]!;
    s.spent += tool.minCost + s.friction[ti]! * (tool.maxCost - tool.minCost);
  }
  pushWindow(cfg, s, name, ti);
  s.n++;
  const warm = s.n >= cfg.warmupCalls;
  adjustTools(cfg, s, warm);
  if (warm) {
    detectSaturation(cfg, s, onSaturation);
    applyGroupPressure(cfg, s);
  }
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
  if (cfg.controller === 'adaptive') return adaptivePeaks(cfg, s, t, min);
  const d = decayFactor(cfg, s, t);
  let out: Record<string, number> | undefined;
  for (let i = 0; i < s.friction.length; i++) {
    const f = s.friction[i]! * d;
    if (f >= min && f > 0) {
      out ??= {};
      out[cfg.tools[i]!.name] = f;
    }
  }
  return out;
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
  if (cfg.controller === 'adaptive') {
    adaptiveRestore(cfg, s, levels, t);
    return;
  }
  for (const [name, value] of Object.entries(levels)) {
    const i = cfg.toolIndex.get(name);
    if (i === undefined || !(value > 0)) continue;
    s.friction[i] = Math.max(s.friction[i]!, Math.min(1, value));
  }
  if (s.lastT === null) s.lastT = t;
}
