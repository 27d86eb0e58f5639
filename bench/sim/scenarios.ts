/**
 * The scenarios of issue 8 (S1–S6; S7 is a parameter sweep over them, see `report.ts`). The
 * limited tool is `hot` (index 0) with target 0.3 unless stated; every other call is an
 * unconfigured `read`. Durations are the larger of a time and a call count, so low rates still
 * see enough calls; `scale` shortens everything for the fast tests.
 *
 * @module
 */

import type { ToolFrictionConfig } from '../../src/friction/config.js';
import { MUTATION_TOOLS } from '../../test/friction/_fixtures.js';
import type { Scenario } from './harness.js';

/** Target share of the `hot` tool. */
export const HOT_TARGET = 0.3;
const HOT: Readonly<Record<string, ToolFrictionConfig>> = { hot: { targetRate: HOT_TARGET } };

/** The production-like tool set (targets 0.03–0.1) used by S5. */
export const PRODUCTION_TOOLS: Readonly<Record<string, ToolFrictionConfig>> = MUTATION_TOOLS;

function span(seconds: number, calls: number, rate: number, scale: number): number {
  return Math.max(seconds, calls / rate) * scale;
}

/** A step scenario with its phase boundaries (seconds). */
export interface StepScenario extends Scenario {
  readonly stepS: number;
  /** Demand before and after the step. */
  readonly before: number;
  readonly after: number;
}

/** S1 (and S3 at other rates): `hot` demand 20 % then 70 %, target 30 %. */
export function s1Step(rate: number, scale = 1): StepScenario {
  const stepS = span(300, 1000, rate, scale);
  return {
    name: `S1 step 20→70 % at Λ=${rate}/s`,
    tools: HOT,
    rate,
    durationS: stepS + span(1200, 4000, rate, scale),
    mix: (t) => [t < stepS ? 0.2 : 0.7],
    stepS,
    before: 0.2,
    after: 0.7,
  };
}

/** S2: 95 % for 30 s, then 10 %; probes `hot` from the end of the burst. */
export function s2Burst(rate = 10, scale = 1): StepScenario {
  return {
    name: `S2 burst 95 % 30 s then 10 % at Λ=${rate}/s`,
    tools: HOT,
    rate,
    durationS: 30 + span(600, 2000, rate, scale),
    mix: (t) => [t < 30 ? 0.95 : 0.1],
    probeFromS: 30,
    stepS: 30,
    before: 0.95,
    after: 0.1,
  };
}

/** S4: duty-cycle attacker, 100 % `hot` for P s then 0 % for P s. */
export function s4DutyCycle(rate: number, periodS: number, scale = 1): Scenario {
  const cycles = Math.ceil(span(3600, 6000, rate, scale) / (2 * periodS));
  return {
    name: `S4 duty cycle P=${periodS} s at Λ=${rate}/s`,
    tools: HOT,
    rate,
    durationS: cycles * 2 * periodS,
    mix: (t) => [t % (2 * periodS) < periodS ? 1 : 0],
  };
}

/** S4's reference: a steady caller at the attacker's mean demand (50 %). */
export function s4Steady(rate: number, durationS: number): Scenario {
  return { name: `S4 steady 50 % at Λ=${rate}/s`, tools: HOT, rate, durationS, mix: () => [0.5] };
}

/**
 * S5: innocent use, every limited tool at or below its target. `'at-target'`: `hot` (0.3) at
 * exactly 30 %; `'production'`: 11 tools (targets 0.03–0.1) each at exactly its target;
 * `'half'`: `hot` at 15 %.
 */
export function s5Innocent(
  rate: number,
  variant: 'at-target' | 'production' | 'half',
  scale = 1,
): Scenario {
  const tools = variant === 'production' ? PRODUCTION_TOOLS : HOT;
  const mix = Object.values(tools).map((t) => (t.targetRate ?? 0) * (variant === 'half' ? 0.5 : 1));
  return {
    name: `S5 innocent (${variant}) at Λ=${rate}/s`,
    tools,
    rate,
    durationS: span(3600, 20_000, rate, scale),
    mix: () => mix,
  };
}

/**
 * S6: wind-up, `hot` at 95 % for 10 min, then it stops: other calls go on (`silent` false) or
 * the client goes silent. Probes `hot` every second after the stop.
 */
export function s6Windup(rate: number, silent: boolean, horizonS = 3600): Scenario {
  return {
    name: `S6 wind-up 95 % 600 s then ${silent ? 'silence' : 'reads only'} at Λ=${rate}/s`,
    tools: HOT,
    rate,
    durationS: 600 + horizonS,
    mix: (t) => [t < 600 ? 0.95 : 0],
    ...(silent ? { silentFromS: 600 } : {}),
    probeFromS: 600,
  };
}
