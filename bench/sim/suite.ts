/**
 * The measurements of issue 8, one function per scenario, shared by the fast checks
 * (`test/sim/`, with `scale` < 1) and the full report (`bench/sim/run.ts`).
 *
 * @module
 */

import type { ControllerConfig } from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import { runScenario, type SimOptions } from './harness.js';
import { admittedShare, attempts, refusals, stepResponse, togglesPerMinute } from './metrics.js';
import {
  HOT_TARGET,
  s1Step,
  s2Burst,
  s4DutyCycle,
  s4Steady,
  s5Innocent,
  s6Windup,
} from './scenarios.js';

/** A controller under test. */
export type Kind = SimOptions['controller'];
/** The rates of S3. */
export const RATES = [0.5, 1, 2, 5, 10, 50] as const;
/** The half-periods of S4, seconds. */
export const PERIODS = [2, 5, 10, 20, 40] as const;

function settlingWindowS(rate: number): number {
  return Math.max(120, 300 / rate);
}

/** S1/S3: the demand step at one rate. */
export interface StepFigures {
  /** |admitted share − 0.3| over the second half of the 70 % phase. */
  readonly ssError: number;
  /** |admitted share − 0.2| over the second half of the 20 % phase. */
  readonly preError: number;
  readonly settlingS: number | undefined;
  readonly overshoot: number;
  /** Block/unblock toggles per minute over the second half of the 70 % phase. */
  readonly togglesPerMin: number;
  readonly maxFriction: number;
}

/** Runs S1 (S3) at `rate`. */
export function measureStep(
  kind: Kind,
  rate: number,
  client: 'drop' | 'retry' = 'drop',
  scale = 1,
  config?: ControllerConfig,
): StepFigures {
  const sc = s1Step(rate, scale);
  const tr = runScenario(sc, { controller: kind, client, config, seed: 11 });
  const half = sc.stepS + (sc.durationS - sc.stepS) / 2;
  const step = stepResponse(tr, sc.stepS, sc.durationS, HOT_TARGET, settlingWindowS(rate));
  return {
    ssError: Math.abs(admittedShare(tr, half, sc.durationS) - HOT_TARGET),
    preError: Math.abs(admittedShare(tr, sc.stepS / 2, sc.stepS) - sc.before),
    settlingS: step.settlingS,
    overshoot: step.overshoot,
    togglesPerMin: togglesPerMinute(tr, half, sc.durationS),
    maxFriction: tr.maxFriction,
  };
}

/** S2: burst then recovery. */
export interface BurstFigures {
  /** Admitted share during the 30 s burst. */
  readonly burstShare: number;
  /** Seconds after the burst until `hot` is allowed again (probe every second). */
  readonly recoveryS: number | undefined;
  /** Refused `hot` attempts from 60 s after the burst (demand 10 %, below target). */
  readonly lateRefusals: number;
  readonly maxFriction: number;
}

/** Runs S2 at `rate`. */
export function measureBurst(kind: Kind, rate = 10, scale = 1, config?: ControllerConfig) {
  const sc = s2Burst(rate, scale);
  const tr = runScenario(sc, { controller: kind, config, seed: 12 });
  return {
    burstShare: admittedShare(tr, 0, sc.stepS),
    recoveryS: tr.probeAllowedAtS === undefined ? undefined : tr.probeAllowedAtS - sc.stepS,
    lateRefusals: refusals(tr, [0], sc.stepS + 60),
    maxFriction: tr.maxFriction,
  } satisfies BurstFigures;
}

/** S4: the duty-cycle attacker against a steady caller at the same mean demand. */
export interface DutyFigures {
  readonly attackerShare: number;
  readonly steadyShare: number;
  /** attackerShare / steadyShare. */
  readonly advantage: number;
  readonly maxFriction: number;
}

/** Runs S4 at half-period `periodS`; shares over the last two thirds (whole cycles). */
export function measureDutyCycle(
  kind: Kind,
  rate: number,
  periodS: number,
  scale = 1,
  config?: ControllerConfig,
): DutyFigures {
  const sc = s4DutyCycle(rate, periodS, scale);
  const attacker = runScenario(sc, { controller: kind, config, seed: 13 });
  const steady = runScenario(s4Steady(rate, sc.durationS), { controller: kind, config, seed: 13 });
  const from = Math.floor(sc.durationS / 3 / (2 * periodS)) * 2 * periodS;
  const attackerShare = admittedShare(attacker, from, sc.durationS);
  const steadyShare = admittedShare(steady, from, sc.durationS);
  return {
    attackerShare,
    steadyShare,
    advantage: attackerShare / steadyShare,
    maxFriction: Math.max(attacker.maxFriction, steady.maxFriction),
  };
}

/** Runs S5: refused attempts of tools used at or below their target. */
export function measureInnocent(
  kind: Kind,
  rate: number,
  variant: 'at-target' | 'production' | 'half',
  scale = 1,
  config?: ControllerConfig,
) {
  const sc = s5Innocent(rate, variant, scale);
  const tr = runScenario(sc, { controller: kind, config, seed: 15 });
  const tools = Object.keys(sc.tools).map((_, i) => i);
  let total = 0;
  for (const i of tools) total += attempts(tr, 0, sc.durationS, i).total;
  return { falsePositives: refusals(tr, tools), attempts: total, maxFriction: tr.maxFriction };
}

/** S6: wind-up, then demand stops. */
export interface WindupFigures {
  /** Seconds from the stop until `hot` is allowed again (probe every second). */
  readonly recoveryS: number | undefined;
  /** The decay time-constant 1 / timeDecayRate, seconds. */
  readonly tauS: number;
  readonly maxFriction: number;
}

/** Runs S6; `timeDecayRate` sets the decay time-constant (default 0.001/s, τ = 1000 s). */
export function measureWindup(
  kind: Kind,
  rate: number,
  silent: boolean,
  timeDecayRate = 0.001,
): WindupFigures {
  const tauS = 1 / timeDecayRate;
  const sc = s6Windup(rate, silent, Math.ceil(3 * tauS) + 60);
  const tr = runScenario(sc, { controller: kind, config: { timeDecayRate }, seed: 16 });
  return {
    recoveryS: tr.probeAllowedAtS === undefined ? undefined : tr.probeAllowedAtS - 600,
    tauS,
    maxFriction: tr.maxFriction,
  };
}

/**
 * A pure spammer: one tool (target `targetRate`), called once a second and nothing else.
 * Returns the number of attempts up to and including the first refusal.
 */
export function measureSpam(kind: Kind, targetRate = 0.05, limit = 10_000): number | undefined {
  const c = new FrictionController({
    controller: kind,
    toolConfigs: { delete_task: { targetRate } },
  });
  for (let i = 1; i <= limit; i++) {
    if (!c.checkAndRecord('delete_task', i * 1000).allowed) return i;
  }
  return undefined;
}
