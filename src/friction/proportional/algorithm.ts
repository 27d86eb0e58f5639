/**
 * The `'proportional'` controller (the Python package's loop, DESIGN §3.5): per tool, friction
 * moves by `adjustmentRate × (EMA share − effective target)` once warm (downward steps scaled by
 * `asymmetricDecay`, nothing inside the dead zone), groups over their aggregate target push
 * their members up in proportion to their shares, and friction and EMAs decay with idle time.
 *
 * @module
 * @internal
 */

import type { FrictionAlgorithm } from '../algorithm.js';
import { decayFactor } from '../decay.js';
import { configuredResult, type FrictionResult } from '../decision.js';
import type { ResolvedFrictionConfig } from '../resolved-config.js';
import { detectSaturation } from '../saturation.js';
import type { LiveState } from '../state-layout.js';
import { pushWindow } from '../window.js';

/** The proportional controller adds nothing to the shared key fingerprint. */
const NO_FINGERPRINT: Readonly<Record<string, unknown>> = Object.freeze({});

function check(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  i: number,
  _t: number,
  d: number,
): FrictionResult {
  return configuredResult(cfg.tools[i]!, {
    friction: s.friction[i]! * d,
    ema: s.ema[i]! * d,
    effectiveTarget: s.target[i]!,
    saturated: s.satFlag[i] === 1,
    budgetRemaining: cfg.defaultBudget - s.spent,
    decayPerMs: cfg.timeDecayRate / 1000,
  });
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

/** DESIGN §3.5 steps 1–5: decay, charge, window, EMA and friction, saturation, groups. */
function record(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  name: string,
  ti: number | undefined,
  _t: number,
  d: number,
  charge: boolean,
  onSaturation: ((toolIndex: number) => void) | undefined,
): void {
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
}

function peaks(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  t: number,
  min: number,
): Record<string, number> | undefined {
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

function restore(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
  levels: Readonly<Record<string, number>>,
  t: number,
): void {
  for (const [name, value] of Object.entries(levels)) {
    const i = cfg.toolIndex.get(name);
    if (i === undefined || !(value > 0)) continue;
    s.friction[i] = Math.max(s.friction[i]!, Math.min(1, value));
  }
  if (s.lastT === null) s.lastT = t;
}

/** The `'proportional'` {@link FrictionAlgorithm}. */
export const proportionalAlgorithm: FrictionAlgorithm<ResolvedFrictionConfig> = Object.freeze({
  createFields: (): void => undefined,
  check,
  record,
  peaks,
  restore,
  fieldsValid: (): boolean => true,
  fingerprint: () => NO_FINGERPRINT,
});
