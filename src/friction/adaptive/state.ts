/**
 * The `'adaptive'` controller's math over the plain {@link FrictionState} (its extra fields
 * `credit`, `groupCredit`, `gate`, `closedAt`), behind `adaptiveAlgorithm` (`algorithm.ts`
 * here); the window, the EMAs, the budget and the result shape are
 * shared with the proportional controller.
 *
 * Per account (a tool, or a group with `pressureWeight > 0`) the credit is the integral of the
 * share error counted in calls: every recorded call adds `target + tolerance`,
 * every recorded call of the account's tool(s) subtracts 1, clamped to `[0, burst]`. The long-run
 * admitted share is therefore `target + tolerance` whatever the call rate or burst pattern.
 * Friction is `1 − credit / burst` (the highest over the tool's accounts). The gate closes when
 * friction reaches `hardBlockThreshold`, and opens only after `minBlockMs` and once every account
 * holds `(1 − h) × burst + min(1, h × burst / 2)` credit. After `idleGraceMs` without a recorded
 * call the deficit decays with `timeDecayRate` (so a client that only retries recovers). No
 * randomness: the same call sequence gives the same decisions.
 *
 * @module
 * @internal
 */

import { configuredResult, type FrictionResult } from '../decision.js';
import { copied, filled } from '../number-array.js';
import type { ResolvedFrictionConfig } from '../resolved-config.js';
import { detectSaturation } from '../saturation.js';
import type { LiveState } from '../state-layout.js';

/** The adaptive controller's fields of a {@link FrictionState}. */
export interface AdaptiveFields {
  /** Credit per configured tool, in calls, in [0, burst]. */
  credit: number[];
  /** Credit per group, in calls. */
  groupCredit: number[];
  /** 1 while the tool's gate is closed, else 0. */
  gate: number[];
  /** Epoch ms when the tool's gate last closed. */
  closedAt: number[];
}

type AdaptiveState = LiveState & AdaptiveFields;

/** Fresh adaptive fields: every account full, every gate open. */
export function createAdaptiveFields(cfg: ResolvedFrictionConfig): AdaptiveFields {
  const k = cfg.tools.length;
  return {
    credit: copied(cfg.adaptive.toolBurst),
    groupCredit: copied(cfg.adaptive.groupBurst),
    gate: filled(k, 0),
    closedAt: filled(k, 0),
  };
}

/** Factor applied to every deficit (burst − credit) by idle refill from `lastT` to `t`. */
function refillFactor(cfg: ResolvedFrictionConfig, s: LiveState, t: number): number {
  const lambda = cfg.timeDecayRate;
  if (lambda <= 0 || s.lastT === null) return 1;
  const idle = t - s.lastT - cfg.adaptive.idleGraceMs;
  return idle > 0 ? Math.exp((-lambda * idle) / 1000) : 1;
}

function refilled(credit: number, burst: number, r: number): number {
  return r === 1 ? credit : burst - (burst - credit) * r;
}

/** `Math.min(1, Math.max(0, f))` for a number (never NaN here): −0 becomes +0 as there. */
function unit(f: number): number {
  return f > 0 ? Math.min(f, 1) : 0;
}

/**
 * Friction of tool `i` with refill factor `r`: the highest over its accounts, in [0, 1]. A
 * comparison picks the higher account where `Math.max` did: they differ only on ±0, which
 * {@link unit} maps to +0 either way.
 */
function toolFriction(cfg: ResolvedFrictionConfig, s: AdaptiveState, i: number, r: number) {
  const { toolBurst, groupBurst } = cfg.adaptive;
  const credit = r === 1 ? s.credit[i]! : refilled(s.credit[i]!, toolBurst[i]!, r);
  let f = 1 - credit / toolBurst[i]!;
  const groups = cfg.pressureGroups[i]!;
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k]!;
    const gf = 1 - refilled(s.groupCredit[g]!, groupBurst[g]!, r) / groupBurst[g]!;
    if (gf > f) f = gf;
  }
  return unit(f);
}

function reopenCredit(burst: number, h: number): number {
  return (1 - h) * burst + Math.min(1, (h * burst) / 2);
}

/**
 * Epoch ms from which idle refill alone gives every account of tool `i` its reopen credit (for
 * the retry hint only: decisions use {@link recovered}, which needs no logarithm).
 */
function creditReadyAt(cfg: ResolvedFrictionConfig, s: AdaptiveState, i: number): number {
  const h = cfg.tools[i]!.hardBlockThreshold;
  const { toolBurst, groupBurst, idleGraceMs } = cfg.adaptive;
  const accounts: [number, number][] = [[s.credit[i]!, toolBurst[i]!]];
  for (const g of cfg.pressureGroups[i]!) accounts.push([s.groupCredit[g]!, groupBurst[g]!]);
  let at = Number.NEGATIVE_INFINITY;
  for (const [credit, burst] of accounts) {
    const need = reopenCredit(burst, h);
    if (credit >= need) continue;
    if (cfg.timeDecayRate <= 0 || s.lastT === null) return Number.POSITIVE_INFINITY;
    const wait = (1000 * Math.log((burst - credit) / (burst - need))) / cfg.timeDecayRate;
    at = Math.max(at, s.lastT + idleGraceMs + wait);
  }
  return at;
}

/** Whether every account of tool `i` holds its reopen credit (refill factor `r`). */
function recovered(cfg: ResolvedFrictionConfig, s: AdaptiveState, i: number, r: number) {
  const h = cfg.tools[i]!.hardBlockThreshold;
  const { toolBurst, groupBurst } = cfg.adaptive;
  if (refilled(s.credit[i]!, toolBurst[i]!, r) < reopenCredit(toolBurst[i]!, h)) return false;
  for (const g of cfg.pressureGroups[i]!) {
    if (refilled(s.groupCredit[g]!, groupBurst[g]!, r) < reopenCredit(groupBurst[g]!, h)) {
      return false;
    }
  }
  return true;
}

/** Whether tool `i` is refused at `t`; `f` is its friction with refill factor `r`. */
function blockedAt(
  cfg: ResolvedFrictionConfig,
  s: AdaptiveState,
  i: number,
  t: number,
  r: number,
  f: number,
) {
  if (s.gate[i] !== 1) return f >= cfg.tools[i]!.hardBlockThreshold;
  return t < s.closedAt[i]! + cfg.adaptive.minBlockMs || !recovered(cfg, s, i, r);
}

/** The decision for configured tool `i` at `t` (a view: the state is not changed). */
export function adaptiveCheck(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  i: number,
  t: number,
  d: number,
): FrictionResult {
  const a = s as AdaptiveState;
  const tool = cfg.tools[i]!;
  const r = refillFactor(cfg, a, t);
  const f = toolFriction(cfg, a, i, r);
  const blocked = blockedAt(cfg, a, i, t, r, f);
  const result = configuredResult(tool, {
    friction: blocked ? Math.max(f, tool.hardBlockThreshold) : f,
    ema: a.ema[i]! * d,
    effectiveTarget: a.target[i]!,
    saturated: a.satFlag[i] === 1,
    budgetRemaining: cfg.defaultBudget - a.spent,
    decayPerMs: 0,
  });
  if (!blocked || !result.message.startsWith('Blocked')) return result;
  const gateAt = a.gate[i] === 1 ? a.closedAt[i]! + cfg.adaptive.minBlockMs : t;
  const readyAt = Math.max(gateAt, creditReadyAt(cfg, a, i));
  if (!Number.isFinite(readyAt)) return result;
  // `result` is this call's own object and has no `retryAfterMs` (`decayPerMs: 0`): the key is
  // appended last, as a spread would place it, without copying the other eleven.
  (result as { retryAfterMs?: number }).retryAfterMs = Math.max(0, Math.ceil(readyAt - t)) + 1;
  return result;
}

/**
 * The part of a record that comes before the window update: commits the idle refill and charges
 * the budget at the current friction (the EMA time decay is applied with the EMA update).
 */
export function adaptiveBeforeRecord(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  ti: number | undefined,
  t: number,
  charge: boolean,
): void {
  const a = s as AdaptiveState;
  const r = refillFactor(cfg, a, t);
  if (r !== 1) {
    const { toolBurst, groupBurst } = cfg.adaptive;
    for (let i = 0; i < a.credit.length; i++)
      a.credit[i] = refilled(a.credit[i]!, toolBurst[i]!, r);
    for (let g = 0; g < a.groupCredit.length; g++) {
      a.groupCredit[g] = refilled(a.groupCredit[g]!, groupBurst[g]!, r);
    }
  }
  if (charge && ti !== undefined) {
    const tool = cfg.tools[ti]!;
    a.spent += tool.minCost + toolFriction(cfg, a, ti, 1) * (tool.maxCost - tool.minCost);
  }
}

/** `Math.min(burst, Math.max(0, credit + earn − cost))`, the same value (−0 becomes +0). */
function settle(credit: number, earn: number, cost: number, burst: number): number {
  const v = credit + earn - cost;
  return v > 0 ? Math.min(v, burst) : 0;
}

/**
 * The part of a record that comes after the window and EMA update: moves the credits (every
 * recorded call earns each account `target + tolerance`, a call of the account's tool costs
 * 1), updates the stored frictions, the gates and saturation relief. A recorded call of a tool
 * opens its gate; a gate closes at friction ≥ threshold. `warmupCalls` does not apply: an
 * account starts full, and its burst capacity is the warm-up. Each group's friction is computed
 * once and raised into its members' (the same maximum, in the same order, as per tool).
 */
export function adaptiveAfterRecord(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  ti: number | undefined,
  t: number,
  onSaturation?: (toolIndex: number) => void,
): void {
  const a = s as AdaptiveState;
  const { tolerance, toolBurst, groupBurst } = cfg.adaptive;
  const { tools, groups, groupMember } = cfg;
  const { credit, groupCredit, target, friction, gate } = a;
  if (ti !== undefined) gate[ti] = 0;
  for (let i = 0; i < credit.length; i++) {
    const burst = toolBurst[i]!;
    const c = settle(credit[i]!, target[i]! + tolerance, ti === i ? 1 : 0, burst);
    credit[i] = c;
    friction[i] = 1 - c / burst;
  }
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const cost = ti !== undefined && groupMember[g]![ti] ? 1 : 0;
    const burst = groupBurst[g]!;
    const c = settle(groupCredit[g]!, group.aggregateTarget + tolerance, cost, burst);
    groupCredit[g] = c;
    if (!(group.pressureWeight > 0)) continue;
    const gf = 1 - c / burst;
    const members = group.members;
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      if (gf > friction[i]!) friction[i] = gf;
    }
  }
  for (let i = 0; i < friction.length; i++) {
    const f = unit(friction[i]!);
    friction[i] = f;
    if (gate[i] === 0 && f >= tools[i]!.hardBlockThreshold) {
      gate[i] = 1;
      a.closedAt[i] = t;
    }
  }
  detectSaturation(cfg, a, onSaturation);
}

/** Per-tool friction at `t` that is at least `min` (for the penalty store), or undefined. */
export function adaptivePeaks(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  t: number,
  min: number,
): Record<string, number> | undefined {
  const a = s as AdaptiveState;
  const r = refillFactor(cfg, a, t);
  let out: Record<string, number> | undefined;
  for (let i = 0; i < a.credit.length; i++) {
    const f = toolFriction(cfg, a, i, r);
    if (f >= min && f > 0) {
      out ??= {};
      out[cfg.tools[i]!.name] = f;
    }
  }
  return out;
}

/** Applies saved frictions as a floor: lowers the credit to `burst × (1 − f)`. */
export function adaptiveRestore(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  levels: Readonly<Record<string, number>>,
  t: number,
): void {
  const a = s as AdaptiveState;
  for (const [name, value] of Object.entries(levels)) {
    const i = cfg.toolIndex.get(name);
    if (i === undefined || !(value > 0)) continue;
    const burst = cfg.adaptive.toolBurst[i]!;
    a.credit[i] = Math.min(a.credit[i]!, burst * (1 - Math.min(1, value)));
    a.friction[i] = toolFriction(cfg, a, i, 1);
  }
  if (a.lastT === null) a.lastT = t;
}
