/**
 * The public friction option objects (the Python package's field names, camelCased) and the
 * resolved form of a tool and a group. Validation and defaults are in `config.ts`.
 *
 * @module
 */

import type { AdaptiveControllerOptions } from './adaptive/config.js';
import type { FrictionCeiling } from './ceiling-options.js';

/** Which feedback loop decides: the Python-compatible one or the adaptive one. */
export type FrictionControllerKind = 'proportional' | 'adaptive';

/** Global tuning of the feedback loop (Python `ControllerConfig`). */
export interface ControllerConfig {
  /** Number of recent calls in the sliding window; integer ≥ 1. @default 100 */
  readonly windowSize?: number;
  /** EMA smoothing factor, in (0, 1]. @default 0.15 */
  readonly emaAlpha?: number;
  /** Gain κ of the friction step; ≥ 0. @default 0.08 */
  readonly adjustmentRate?: number;
  /** Multiplier β applied to downward steps (friction falls faster); ≥ 0. @default 2 */
  readonly asymmetricDecay?: number;
  /** Half-width of the no-adjustment band around the target; ≥ 0. @default 0.01 */
  readonly deadZone?: number;
  /** Recorded calls before friction starts to move; integer ≥ 0. @default 20 */
  readonly warmupCalls?: number;
  /**
   * Exponential idle decay λ of friction and EMA, **per second** (half-life ln 2 / λ); ≥ 0,
   * 0 disables.
   * @default 0.001
   */
  readonly timeDecayRate?: number;
  /** Cost budget per client; `Infinity` disables budgeting; ≥ 0. @default Infinity */
  readonly defaultBudget?: number;
  /** Friction considered saturated, in [0, 1]. @default 0.9 */
  readonly saturationThreshold?: number;
  /** Consecutive saturated steps before relief; integer ≥ 0, 0 disables. @default 0 */
  readonly saturationWindow?: number;
  /** Raise of the effective target per saturated step, in [0, 1]. @default 0.005 */
  readonly saturationReliefRate?: number;
  /**
   * The feedback loop: `'proportional'` (the Python package's, DESIGN §3.5) or `'adaptive'`
   * (credit-based, rate-independent; see `adaptive/config.ts`). @default 'adaptive'
   */
  readonly controller?: FrictionControllerKind;
  /** Tuning of the `'adaptive'` controller. @default see {@link AdaptiveControllerOptions} */
  readonly adaptive?: AdaptiveControllerOptions;
}

/** Friction settings of one tool (Python `ToolFrictionConfig`). */
export interface ToolFrictionConfig {
  /** Desired share of all calls, in [0, 1]. @default 0.05 */
  readonly targetRate?: number;
  /** Cost at friction 0; ≥ 0. @default 0.5 */
  readonly minCost?: number;
  /** Cost at friction 1; ≥ `minCost`. @default 10 */
  readonly maxCost?: number;
  /** Friction from which a justification is required; ≥ 0. @default 0.6 */
  readonly justificationThreshold?: number;
  /** Friction from which calls are refused; > 0 (above 1 never blocks). @default 0.95 */
  readonly hardBlockThreshold?: number;
  /**
   * Absolute ceiling whatever the share: at most about `limit` calls of this tool per
   * `windowMs` per client key (GCRA; see the README's "Friction ceilings"). @default none
   */
  readonly ceiling?: FrictionCeiling;
}

/** An aggregate rate budget over several tools (Python `ToolGroupConfig`). */
export interface ToolGroupConfig {
  /** Member tool names; non-empty, no duplicates. Unconfigured members count as rate 0. */
  readonly tools: readonly string[];
  /** Desired combined share of calls, in [0, 1]. @default 0.2 */
  readonly aggregateTarget?: number;
  /** How strongly an overshoot of the group adds friction; ≥ 0. @default 1 */
  readonly pressureWeight?: number;
  /**
   * Absolute ceiling on the combined calls of the group's configured members, per client key
   * (GCRA, like {@link ToolFrictionConfig.ceiling}). @default none
   */
  readonly ceiling?: FrictionCeiling;
}

/** Everything that defines the behaviour of one controller. */
export interface FrictionConfigInput extends ControllerConfig {
  /** Per-tool settings; tools not listed are recorded (they count in the window) but never limited. */
  readonly toolConfigs?: Readonly<Record<string, ToolFrictionConfig>>;
  /** Aggregate groups. */
  readonly toolGroups?: Readonly<Record<string, ToolGroupConfig>>;
}

/** A configured tool after validation. @internal */
export interface ResolvedTool {
  readonly name: string;
  readonly targetRate: number;
  readonly minCost: number;
  readonly maxCost: number;
  readonly justificationThreshold: number;
  readonly hardBlockThreshold: number;
  /** `hardBlockThreshold` formatted as Python prints a float (`0.95`, `1.0`). */
  readonly thresholdText: string;
  readonly ceiling?: FrictionCeiling;
}

/** A tool group after validation. @internal */
export interface ResolvedGroup {
  readonly name: string;
  /** Indices (into `tools`) of the configured members. */
  readonly members: readonly number[];
  /** Number of listed members, configured or not. */
  readonly size: number;
  readonly aggregateTarget: number;
  readonly pressureWeight: number;
  readonly ceiling?: FrictionCeiling;
}
