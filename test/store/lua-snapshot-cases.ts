/**
 * The Redis scripts of a few configurations, by name: the input of the byte-for-byte snapshot
 * (`lua-snapshot.test.ts`, fixture `fixtures/lua-scripts.json`).
 */

import { type FrictionConfigInput, resolveFrictionConfig } from '../../src/friction/config.js';
import { adaptiveStepScript } from '../../src/store/redis-adaptive-script.js';
import {
  type FrictionScriptTtls,
  proportionalStepScript,
  STATE_READ_SCRIPT,
} from '../../src/store/redis-friction-script.js';

const SHORT: FrictionScriptTtls = {
  clientTtlMs: 3_600_000,
  penaltyTtlMs: 0,
  penaltyMinFriction: 0.5,
};
const PENALTY: FrictionScriptTtls = {
  clientTtlMs: 60_000.5,
  penaltyTtlMs: 86_400_000,
  penaltyMinFriction: 0.1 + 0.2,
};

const PLAIN: FrictionConfigInput = { toolConfigs: { search: { targetRate: 0.1 } } };

const RICH: FrictionConfigInput = {
  windowSize: 37,
  warmupCalls: 3,
  timeDecayRate: 0.001,
  emaAlpha: 1 / 3,
  adjustmentRate: 0.3,
  deadZone: 0.01,
  saturationWindow: 2,
  saturationThreshold: 0.9,
  defaultBudget: 40,
  toolConfigs: {
    a: { targetRate: 0.1, ceiling: { limit: 3, windowMs: 700 } },
    b: { targetRate: 0.3, hardBlockThreshold: 0.7 },
    'ünï/"code"\\\n': { minCost: 1, maxCost: 3 },
  },
  toolGroups: {
    g: {
      tools: ['a', 'b', 'c'],
      aggregateTarget: 0.2,
      pressureWeight: 0.5,
      ceiling: { limit: 2, windowMs: 3_600_000 },
    },
  },
};

const WIDE: FrictionConfigInput = { windowSize: 300, toolConfigs: { a: {}, b: {} } };

const ADAPTIVE: FrictionConfigInput = {
  ...RICH,
  controller: 'adaptive',
  adaptive: { minBlockMs: 12_000, idleGraceMs: 500, burstCalls: 5, tolerance: 0.2 },
};

/**
 * Script name → the exact source the store sends; with `fold` false, the step scripts before
 * their constants are folded in (`redis-lua-constants.ts`), which contain every `.lua` part
 * verbatim.
 */
export function snapshotScripts(fold = true): Record<string, string> {
  const prop = (input: FrictionConfigInput, ttl: FrictionScriptTtls) =>
    proportionalStepScript(resolveFrictionConfig(input), ttl, fold);
  const adaptive = (input: FrictionConfigInput, ttl: FrictionScriptTtls) =>
    adaptiveStepScript(resolveFrictionConfig(input), ttl, fold);
  return {
    'proportional-plain': prop(PLAIN, SHORT),
    'proportional-rich': prop(RICH, PENALTY),
    'proportional-wide-ring': prop(WIDE, SHORT),
    'adaptive-plain': adaptive({ ...PLAIN, controller: 'adaptive' }, SHORT),
    'adaptive-rich': adaptive(ADAPTIVE, PENALTY),
    'adaptive-wide-ring': adaptive({ ...WIDE, controller: 'adaptive' }, PENALTY),
    'state-read': STATE_READ_SCRIPT,
  };
}
