/**
 * Options of the `'adaptive'` friction controller and their resolver. The adaptive controller
 * keeps, per tool and per group, a credit account counted in calls: every recorded call earns
 * `target + tolerance`, every recorded call of the tool costs 1, and the balance is clamped to
 * `[0, burst]` (integral action with anti-windup). A tool is refused while its gate is closed;
 * the gate closes when the balance falls to `(1 − hardBlockThreshold) × burst` and reopens
 * no earlier than `minBlockMs` later, once the balance has recovered (hysteresis). Accounts start
 * full, so `warmupCalls` does not apply to this controller.
 *
 * @module
 */

import { invalidArg } from '../../errors.js';

/** At most 6 block/unblock toggles a minute. @default 20000 */
export const DEFAULT_MIN_BLOCK_MS = 20_000;
/** Upper bound of the default idle grace. @default 60000 */
export const DEFAULT_MAX_IDLE_GRACE_MS = 60_000;
/** Calls of noise the derived burst absorbs: `burst = 8 × T(1 − T) / tolerance`. */
const BURST_NOISE_FACTOR = 8;
const MIN_BURST = 2;
const MAX_BURST = 10_000;

/** Tuning of the `'adaptive'` controller (ignored by `'proportional'`). */
export interface AdaptiveControllerOptions {
  /**
   * Share above the target still granted in the long run (the accuracy/false-positive
   * trade-off), in (0, 1]. @default the controller's `deadZone` (0.01), at least 0.001
   */
  readonly tolerance?: number;
  /**
   * Credit capacity in calls, for every tool and group: how far usage may run ahead of the
   * target before the gate closes. @default per account, `8 × T(1 − T) / tolerance` (T = its
   * target), in [2, 10000] — deep enough that usage at the target is never refused
   */
  readonly burstCalls?: number;
  /**
   * Shortest time a closed gate stays closed, ms; bounds block/unblock toggles to
   * `120000 / minBlockMs` per minute; integer ≥ 0. @default 20000
   */
  readonly minBlockMs?: number;
  /**
   * Idle time (no recorded call) after which credit starts to refill with `timeDecayRate`,
   * ms; integer ≥ 0. Shorter than the gaps of a steady caller would make the equilibrium
   * depend on the call rate again. @default one decay time-constant (1 / timeDecayRate), at
   * most 60000
   */
  readonly idleGraceMs?: number;
}

/** The resolved adaptive tuning, with the burst of every tool and group. @internal */
export interface ResolvedAdaptiveOptions {
  readonly tolerance: number;
  readonly minBlockMs: number;
  readonly idleGraceMs: number;
  /** Credit capacity per configured tool (index as `config.tools`). */
  readonly toolBurst: readonly number[];
  /** Credit capacity per group (index as `config.groups`). */
  readonly groupBurst: readonly number[];
}

function bad(code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE', name: string, rule: string) {
  return invalidArg(code, `The option "adaptive.${name}" ${rule}`);
}

function option(value: unknown, name: string, min: number, max: number, integer: boolean) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw bad('ERR_INVALID_ARG_TYPE', name, 'must be a number');
  if (!(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw bad('ERR_INVALID_ARG_VALUE', name, `must be ${kind} in [${min}, ${max}]`);
  }
  return value;
}

function defaultIdleGrace(timeDecayRate: number): number {
  if (!(timeDecayRate > 0)) return DEFAULT_MAX_IDLE_GRACE_MS;
  return Math.min(DEFAULT_MAX_IDLE_GRACE_MS, Math.round(1000 / timeDecayRate));
}

function derivedBurst(target: number, tolerance: number): number {
  const b = Math.ceil((BURST_NOISE_FACTOR * target * (1 - target)) / tolerance - 1e-9);
  return Math.min(MAX_BURST, Math.max(MIN_BURST, b));
}

/**
 * Validates the adaptive options and derives the credit capacity of every account. The input
 * is never mutated.
 *
 * @param input - The `adaptive` option (may be undefined).
 * @param deadZone - The resolved `deadZone` (the default tolerance).
 * @param timeDecayRate - The resolved `timeDecayRate` (per second; sets the default grace).
 * @param tools - The resolved tools.
 * @param groups - The resolved groups.
 * @returns A frozen {@link ResolvedAdaptiveOptions}.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @internal
 */
export function resolveAdaptiveOptions(
  input: unknown,
  deadZone: number,
  timeDecayRate: number,
  tools: readonly { readonly targetRate: number }[],
  groups: readonly { readonly aggregateTarget: number }[],
): ResolvedAdaptiveOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "adaptive" must be an object');
  }
  const o = (input ?? {}) as AdaptiveControllerOptions;
  const tolerance = option(o.tolerance, 'tolerance', 0.001, 1, false) ?? Math.max(deadZone, 0.001);
  const burst = option(o.burstCalls, 'burstCalls', MIN_BURST, MAX_BURST, false);
  const cap = (target: number) => burst ?? derivedBurst(target, tolerance);
  return Object.freeze({
    tolerance,
    minBlockMs:
      option(o.minBlockMs, 'minBlockMs', 0, Number.MAX_SAFE_INTEGER, true) ?? DEFAULT_MIN_BLOCK_MS,
    idleGraceMs:
      option(o.idleGraceMs, 'idleGraceMs', 0, Number.MAX_SAFE_INTEGER, true) ??
      defaultIdleGrace(timeDecayRate),
    toolBurst: Object.freeze(tools.map((t) => cap(t.targetRate))),
    groupBurst: Object.freeze(groups.map((g) => cap(g.aggregateTarget))),
  });
}
