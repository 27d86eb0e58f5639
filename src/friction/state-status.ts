/**
 * Reading a friction state: per-tool status, and validation of a deserialised state.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';
import type { FrictionClientStatus, ToolFrictionStatus } from './decision.js';
import { isNumberArray } from './number-array.js';
import type { ResolvedFrictionConfig } from './resolved-config.js';
import { checkState } from './state.js';
import type { FrictionState, LiveState } from './state-layout.js';
import { rawRate } from './window.js';

/** Status of every configured tool at `t` (decayed view, like a check). */
export function statusState(
  cfg: ResolvedFrictionConfig,
  s: LiveState,
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

function isIndex(x: unknown, size: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < size;
}

function windowConsistent(cfg: ResolvedFrictionConfig, s: FrictionState): boolean {
  const w = cfg.windowSize;
  const k = cfg.tools.length;
  const others = s.others;
  if (!Array.isArray(others) || !others.every((o) => typeof o === 'string')) return false;
  if (!isNumberArray(s.otherCounts, others.length) || !isNumberArray(s.ring, w)) return false;
  if (!isIndex(s.head, w) || !isIndex(s.size, w + 1)) return false;
  if (!s.ring.every((x) => x === -1 || isIndex(x, k + others.length))) return false;
  let total = 0;
  for (const c of s.counts) total += c;
  for (const c of s.otherCounts) total += c;
  return total === s.size;
}

/**
 * Checks that a deserialised value is a state for `cfg`: layout version 1, the same tools,
 * groups, window size, ceilings and controller, every number a number, the window consistent.
 * One rule for every corruption kind (issue 20): a state that fails is refused, never
 * silently replaced (that would erase a penalty); the Redis scripts apply the same checks.
 *
 * @throws TypeError `ERR_INVALID_ARG_VALUE` when it is not.
 */
export function assertState(cfg: ResolvedFrictionConfig, value: unknown): FrictionState {
  const s = value as FrictionState;
  const k = cfg.tools.length;
  const c = cfg.ceilings.length;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    s.v === 1 &&
    [s.n, s.spent].every((x) => typeof x === 'number' && x >= 0) &&
    (s.lastT === null || typeof s.lastT === 'number') &&
    [s.friction, s.ema, s.target, s.satCount, s.satFlag, s.counts].every((a) =>
      isNumberArray(a, k),
    ) &&
    isNumberArray(s.groupEma, cfg.groups.length) &&
    isNumberArray(s.ceilLevel, c) &&
    isNumberArray(s.ceilAt, c) &&
    windowConsistent(cfg, s) &&
    cfg.algorithm.fieldsValid(cfg, s);
  if (!ok)
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The friction state does not match the configuration',
    );
  return s;
}
