/**
 * Resolution of `toolConfigs` and `toolGroups`, and the index tables derived from them for the
 * hot path (group membership, ceilings per tool).
 *
 * @module
 * @internal
 */

import { type FrictionCeiling, type ResolvedCeiling, resolveCeiling } from './ceiling-options.js';
import type {
  ResolvedGroup,
  ResolvedTool,
  ToolFrictionConfig,
  ToolGroupConfig,
} from './config-types.js';
import { fail, num, pythonFloat, record } from './config-values.js';

const DEFAULT_TARGET_RATE = 0.05;
const DEFAULT_MIN_COST = 0.5;
const DEFAULT_MAX_COST = 10;
const DEFAULT_JUSTIFICATION_THRESHOLD = 0.6;
const DEFAULT_HARD_BLOCK_THRESHOLD = 0.95;
const DEFAULT_AGGREGATE_TARGET = 0.2;
const DEFAULT_PRESSURE_WEIGHT = 1;

/** Validates `toolConfigs.<name>`. */
export function resolveTool(name: string, raw: unknown): ResolvedTool {
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

/** Validates `toolGroups.<name>`; `index` maps configured tool names to indices. */
export function resolveGroup(name: string, raw: unknown, index: ReadonlyMap<string, number>) {
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
export function indexGroups(tools: readonly ResolvedTool[], groups: readonly ResolvedGroup[]) {
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
export function indexCeilings(tools: readonly ResolvedTool[], groups: readonly ResolvedGroup[]) {
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
