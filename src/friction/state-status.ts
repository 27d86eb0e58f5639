/**
 * Reading a friction state: per-tool status, and validation of a deserialised state.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';
import type { ResolvedFrictionConfig } from './config.js';
import type { FrictionClientStatus, ToolFrictionStatus } from './decision.js';
import { checkState, type FrictionState, rawRate } from './state.js';

/** Status of every configured tool at `t` (decayed view, like a check). */
export function statusState(
  cfg: ResolvedFrictionConfig,
  s: FrictionState,
  t: number,
): FrictionClientStatus {
  const out: Record<string, ToolFrictionStatus> = {};
  for (const tool of cfg.tools) {
    const r = checkState(cfg, s, tool.name, t);
    out[tool.name] = {
      friction: r.friction,
      emaRate: r.currentRate,
      rawRate: rawRate(cfg, s, tool.name),
      targetRate: r.targetRate,
      effectiveTarget: r.effectiveTarget,
      saturationDetected: r.saturationDetected,
      cost: r.cost,
      level: r.frictionLevel,
      allowed: r.allowed,
    };
  }
  return out;
}

function isNumArray(v: unknown, len: number): boolean {
  return Array.isArray(v) && v.length === len && v.every((x) => typeof x === 'number');
}

/**
 * Checks that a deserialised value is a state for `cfg` (same tools, groups and window size).
 *
 * @throws TypeError `ERR_INVALID_ARG_VALUE` when it is not.
 */
export function assertState(cfg: ResolvedFrictionConfig, value: unknown): FrictionState {
  const s = value as FrictionState;
  const k = cfg.tools.length;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    s.v === 1 &&
    [s.n, s.spent, s.head, s.size].every((x) => typeof x === 'number') &&
    (s.lastT === null || typeof s.lastT === 'number') &&
    [s.friction, s.ema, s.target, s.satCount, s.satFlag, s.counts].every((a) => isNumArray(a, k)) &&
    isNumArray(s.groupEma, cfg.groups.length) &&
    isNumArray(s.ring, cfg.windowSize) &&
    Array.isArray(s.others) &&
    isNumArray(s.otherCounts, s.others.length);
  if (!ok)
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The friction state does not match the configuration',
    );
  return s;
}
