/**
 * Friction configuration: the public option objects (with the Python package's defaults and
 * field names, camelCased) and their one validating resolver.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import {
  type AdaptiveControllerOptions,
  type FrictionControllerKind,
  type ResolvedAdaptiveOptions,
  resolveAdaptiveOptions,
  resolveControllerKind,
} from './adaptive-config.js';
import { type FrictionCeiling, type ResolvedCeiling, resolveCeiling } from './ceiling.js';

/** @default 100 */
export const DEFAULT_WINDOW_SIZE = 100;
/** @default 0.15 */
export const DEFAULT_EMA_ALPHA = 0.15;
/** @default 0.08 */
export const DEFAULT_ADJUSTMENT_RATE = 0.08;
/** @default 2 */
export const DEFAULT_ASYMMETRIC_DECAY = 2;
/** @default 0.01 */
export const DEFAULT_DEAD_ZONE = 0.01;
/** @default 20 */
export const DEFAULT_WARMUP_CALLS = 20;
/** Per second. @default 0.001 */
export const DEFAULT_TIME_DECAY_RATE = 0.001;
const DEFAULT_SATURATION_THRESHOLD = 0.9;
const DEFAULT_SATURATION_RELIEF_RATE = 0.005;
const DEFAULT_TARGET_RATE = 0.05;
const DEFAULT_MIN_COST = 0.5;
const DEFAULT_MAX_COST = 10;
const DEFAULT_JUSTIFICATION_THRESHOLD = 0.6;
const DEFAULT_HARD_BLOCK_THRESHOLD = 0.95;
const DEFAULT_AGGREGATE_TARGET = 0.2;
const DEFAULT_PRESSURE_WEIGHT = 1;

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
   * (credit-based, rate-independent; see `adaptive-config.ts`). @default 'adaptive'
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

/**
 * The validated, frozen configuration shared by the controller, the registry and the stores.
 * A shared store (Redis) receives it to run the same step.
 */
export interface ResolvedFrictionConfig
  extends Required<Omit<ControllerConfig, 'controller' | 'adaptive'>> {
  readonly controller: FrictionControllerKind;
  /** Adaptive tuning (resolved for either controller; used by `'adaptive'` only). */
  readonly adaptive: ResolvedAdaptiveOptions;
  readonly tools: readonly ResolvedTool[];
  readonly toolIndex: ReadonlyMap<string, number>;
  readonly groups: readonly ResolvedGroup[];
  /** Every ceiling: the tools' (in tool order), then the groups' (in group order). */
  readonly ceilings: readonly ResolvedCeiling[];
  /** Per configured tool, the indices (into `ceilings`) of the ceilings a call of it counts in. */
  readonly toolCeilings: readonly (readonly number[])[];
  /**
   * Per configured tool, the groups with `pressureWeight > 0` it belongs to, ascending (the
   * adaptive controller's accounts beside the tool's own). Derived; not part of a fingerprint.
   */
  readonly pressureGroups: readonly (readonly number[])[];
  /** Per group, per configured tool: whether the tool is a member. Derived. */
  readonly groupMember: readonly (readonly boolean[])[];
}

function fail(code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE', name: string, rule: string) {
  return invalidArg(code, `The option "${name}" ${rule}`);
}

function num(value: unknown, name: string, def: number, min: number, max: number, minOpen = false) {
  if (value === undefined) return def;
  if (typeof value !== 'number') throw fail('ERR_INVALID_ARG_TYPE', name, 'must be a number');
  const tooLow = minOpen ? !(value > min) : !(value >= min);
  if (Number.isNaN(value) || tooLow || value > max) {
    const lo = minOpen ? `(${min}` : `[${min}`;
    throw fail('ERR_INVALID_ARG_VALUE', name, `must be in ${lo}, ${max}]; received ${value}`);
  }
  return value;
}

function int(value: unknown, name: string, def: number, min: number): number {
  const v = num(value, name, def, min, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(v)) throw fail('ERR_INVALID_ARG_VALUE', name, 'must be an integer');
  return v;
}

function record(value: unknown, name: string): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('ERR_INVALID_ARG_TYPE', name, 'must be an object');
  }
  return value as Record<string, unknown>;
}

/** Formats a float the way Python's `str(float)` does for the values we print. */
function pythonFloat(value: number): string {
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

function resolveTool(name: string, raw: unknown): ResolvedTool {
  const path = `toolConfigs.${name}`;
  const c = record(raw, path) as ToolFrictionConfig;
  const minCost = num(c.minCost, `${path}.minCost`, DEFAULT_MIN_COST, 0, Number.MAX_VALUE);
  const hardBlockThreshold = num(
    c.hardBlockThreshold,
    `${path}.hardBlockThreshold`,
    DEFAULT_HARD_BLOCK_THRESHOLD,
    0,
    Number.MAX_VALUE,
    true,
  );
  return Object.freeze({
    name,
    targetRate: num(c.targetRate, `${path}.targetRate`, DEFAULT_TARGET_RATE, 0, 1),
    minCost,
    maxCost: num(
      c.maxCost,
      `${path}.maxCost`,
      Math.max(DEFAULT_MAX_COST, minCost),
      minCost,
      Number.MAX_VALUE,
    ),
    justificationThreshold: num(
      c.justificationThreshold,
      `${path}.justificationThreshold`,
      DEFAULT_JUSTIFICATION_THRESHOLD,
      0,
      Number.MAX_VALUE,
    ),
    hardBlockThreshold,
    thresholdText: pythonFloat(hardBlockThreshold),
    ...optionalCeiling(c.ceiling, `${path}.ceiling`),
  });
}

function resolveGroup(name: string, raw: unknown, index: ReadonlyMap<string, number>) {
  const path = `toolGroups.${name}`;
  const g = record(raw, path) as Partial<ToolGroupConfig>;
  const tools: unknown = g.tools;
  if (!Array.isArray(tools) || tools.some((t) => typeof t !== 'string' || t === '')) {
    throw fail('ERR_INVALID_ARG_TYPE', `${path}.tools`, 'must be an array of tool names');
  }
  if (tools.length === 0 || new Set(tools).size !== tools.length) {
    throw fail('ERR_INVALID_ARG_VALUE', `${path}.tools`, 'must be non-empty without duplicates');
  }
  const members = (tools as string[]).flatMap((t) => {
    const i = index.get(t);
    return i === undefined ? [] : [i];
  });
  return Object.freeze<ResolvedGroup>({
    name,
    members: Object.freeze(members),
    size: tools.length,
    aggregateTarget: num(
      g.aggregateTarget,
      `${path}.aggregateTarget`,
      DEFAULT_AGGREGATE_TARGET,
      0,
      1,
    ),
    pressureWeight: num(
      g.pressureWeight,
      `${path}.pressureWeight`,
      DEFAULT_PRESSURE_WEIGHT,
      0,
      Number.MAX_VALUE,
    ),
    ...optionalCeiling(g.ceiling, `${path}.ceiling`),
  });
}

function optionalCeiling(raw: unknown, path: string): { ceiling?: FrictionCeiling } {
  const ceiling = resolveCeiling(raw, path);
  return ceiling === undefined ? {} : { ceiling };
}

/** Membership tables for the hot path (the same answers as `members.includes`). */
function indexGroups(tools: readonly ResolvedTool[], groups: readonly ResolvedGroup[]) {
  const pressureGroups = tools.map((_, i) =>
    Object.freeze(
      groups.flatMap((g, gi) => (g.pressureWeight > 0 && g.members.includes(i) ? [gi] : [])),
    ),
  );
  const groupMember = groups.map((g) => Object.freeze(tools.map((_, i) => g.members.includes(i))));
  return {
    pressureGroups: Object.freeze(pressureGroups),
    groupMember: Object.freeze(groupMember),
  };
}

/** Lists every ceiling and, per tool, the ones its calls count in. */
function indexCeilings(tools: readonly ResolvedTool[], groups: readonly ResolvedGroup[]) {
  const ceilings: ResolvedCeiling[] = [];
  const toolCeilings = tools.map(() => [] as number[]);
  tools.forEach((t, i) => {
    if (t.ceiling === undefined) return;
    toolCeilings[i]!.push(ceilings.length);
    ceilings.push(Object.freeze({ ...t.ceiling, kind: 'tool' as const, name: t.name }));
  });
  for (const g of groups) {
    if (g.ceiling === undefined) continue;
    for (const m of g.members) toolCeilings[m]!.push(ceilings.length);
    ceilings.push(Object.freeze({ ...g.ceiling, kind: 'group' as const, name: g.name }));
  }
  return {
    ceilings: Object.freeze(ceilings),
    toolCeilings: Object.freeze(toolCeilings.map((c) => Object.freeze(c))),
  };
}

function resolveControllerConfig(
  c: ControllerConfig,
): Required<Omit<ControllerConfig, 'controller' | 'adaptive'>> {
  const max = Number.MAX_VALUE;
  return {
    windowSize: int(c.windowSize, 'windowSize', DEFAULT_WINDOW_SIZE, 1),
    emaAlpha: num(c.emaAlpha, 'emaAlpha', DEFAULT_EMA_ALPHA, 0, 1, true),
    adjustmentRate: num(c.adjustmentRate, 'adjustmentRate', DEFAULT_ADJUSTMENT_RATE, 0, max),
    asymmetricDecay: num(c.asymmetricDecay, 'asymmetricDecay', DEFAULT_ASYMMETRIC_DECAY, 0, max),
    deadZone: num(c.deadZone, 'deadZone', DEFAULT_DEAD_ZONE, 0, 1),
    warmupCalls: int(c.warmupCalls, 'warmupCalls', DEFAULT_WARMUP_CALLS, 0),
    timeDecayRate: num(c.timeDecayRate, 'timeDecayRate', DEFAULT_TIME_DECAY_RATE, 0, max),
    defaultBudget: num(c.defaultBudget, 'defaultBudget', Infinity, 0, Infinity),
    saturationThreshold: num(
      c.saturationThreshold,
      'saturationThreshold',
      DEFAULT_SATURATION_THRESHOLD,
      0,
      1,
    ),
    saturationWindow: int(c.saturationWindow, 'saturationWindow', 0, 0),
    saturationReliefRate: num(
      c.saturationReliefRate,
      'saturationReliefRate',
      DEFAULT_SATURATION_RELIEF_RATE,
      0,
      1,
    ),
  };
}

/**
 * Validates a friction configuration, applies the defaults and returns a frozen copy. The
 * input is never mutated.
 *
 * @param input - Controller settings plus `toolConfigs` and `toolGroups`.
 * @returns The resolved configuration.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a value of the wrong type,
 *   `ERR_INVALID_ARG_VALUE` for one out of range; the message names the option.
 */
export function resolveFrictionConfig(input: FrictionConfigInput = {}): ResolvedFrictionConfig {
  const base = record(input, 'config') as FrictionConfigInput;
  const toolEntries = Object.entries(record(base.toolConfigs, 'toolConfigs'));
  const tools = toolEntries.map(([name, raw]) => resolveTool(name, raw));
  const toolIndex = new Map(tools.map((t, i) => [t.name, i] as const));
  const groups = Object.entries(record(base.toolGroups, 'toolGroups')).map(([name, raw]) =>
    resolveGroup(name, raw, toolIndex),
  );
  const tuning = resolveControllerConfig(base);
  return Object.freeze({
    ...tuning,
    controller: resolveControllerKind(base.controller),
    adaptive: resolveAdaptiveOptions(
      base.adaptive,
      tuning.deadZone,
      tuning.timeDecayRate,
      tools,
      groups,
    ),
    tools: Object.freeze(tools),
    toolIndex,
    groups: Object.freeze(groups),
    ...indexCeilings(tools, groups),
    ...indexGroups(tools, groups),
  });
}
