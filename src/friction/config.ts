/**
 * Friction configuration: the defaults (the Python package's) and the one validating resolver,
 * which also chooses the controller's {@link FrictionAlgorithm} (the only place that does).
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { adaptiveAlgorithm } from './adaptive/algorithm.js';
import { resolveAdaptiveOptions } from './adaptive/config.js';
import type { FrictionAlgorithm } from './algorithm.js';
import { indexCeilings, indexGroups, resolveGroup, resolveTool } from './config-tools.js';
import type {
  ControllerConfig,
  FrictionConfigInput,
  FrictionControllerKind,
} from './config-types.js';
import { int, num, record } from './config-values.js';
import { proportionalAlgorithm } from './proportional/algorithm.js';
import type { ResolvedFrictionConfig } from './resolved-config.js';

export type {
  ControllerConfig,
  FrictionConfigInput,
  FrictionControllerKind,
  ResolvedGroup,
  ResolvedTool,
  ToolFrictionConfig,
  ToolGroupConfig,
} from './config-types.js';
export type { ResolvedFrictionConfig } from './resolved-config.js';

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

/** The algorithm of each controller kind: the one place a controller is chosen. */
const ALGORITHMS: Readonly<
  Record<FrictionControllerKind, FrictionAlgorithm<ResolvedFrictionConfig>>
> = Object.freeze({
  proportional: proportionalAlgorithm,
  adaptive: adaptiveAlgorithm,
});

/**
 * Validates the `controller` option.
 *
 * @throws TypeError `ERR_INVALID_ARG_VALUE` unless `'proportional'`, `'adaptive'` or undefined.
 */
function resolveControllerKind(value: unknown): FrictionControllerKind {
  if (value === undefined) return 'adaptive';
  if (typeof value === 'string' && Object.hasOwn(ALGORITHMS, value)) {
    return value as FrictionControllerKind;
  }
  throw invalidArg(
    'ERR_INVALID_ARG_VALUE',
    'The option "controller" must be "proportional" or "adaptive"',
  );
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
  const controller = resolveControllerKind(base.controller);
  return Object.freeze({
    ...tuning,
    controller,
    algorithm: ALGORITHMS[controller],
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
