import { describe, expect, it } from 'vitest';
import { READ, runScenario, type Scenario, type Trace } from '../../bench/sim/harness.js';
import {
  admittedShare,
  refusals,
  stepResponse,
  togglesPerMinute,
} from '../../bench/sim/metrics.js';
import { s1Step, s4DutyCycle } from '../../bench/sim/scenarios.js';
import {
  measureDutyCycle,
  measureInnocent,
  measureSpam,
  measureStep,
} from '../../bench/sim/suite.js';

function trace(t: number[], tool: number[], allowed: number[]): Trace {
  const scenario: Scenario = { name: 'x', tools: {}, rate: 1, durationS: 100, mix: () => [] };
  const retry = t.map(() => 0);
  return { scenario, t, tool, allowed, retry, maxFriction: 0, probeAllowedAtS: undefined };
}

describe('simulation harness', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const sc = s1Step(5, 0.1);
    const a = runScenario(sc, { controller: 'adaptive', seed: 3 });
    const b = runScenario(sc, { controller: 'adaptive', seed: 3 });
    const c = runScenario(sc, { controller: 'adaptive', seed: 4 });
    expect(b).toEqual(a);
    expect(c.t).not.toEqual(a.t);
  });

  it('draws Poisson arrivals at rate Λ with the scenario mix', () => {
    const sc: Scenario = { ...s1Step(20, 1), durationS: 500, mix: () => [0.25] };
    const tr = runScenario(sc, { controller: 'proportional' });
    expect(tr.t.length / 500).toBeGreaterThan(19);
    expect(tr.t.length / 500).toBeLessThan(21);
    const hot = tr.tool.filter((x) => x === 0).length / tr.tool.length;
    expect(hot).toBeGreaterThan(0.23);
    expect(hot).toBeLessThan(0.27);
    expect(tr.tool.every((x) => x === 0 || x === READ)).toBe(true);
    for (let k = 1; k < tr.t.length; k++) expect(tr.t[k]!).toBeGreaterThanOrEqual(tr.t[k - 1]!);
  });

  it('a retrying client re-attempts refused calls after the retry hint', () => {
    const sc = s4DutyCycle(10, 10, 0.05);
    const drop = runScenario(sc, { controller: 'adaptive' });
    const retry = runScenario(sc, { controller: 'adaptive', client: 'retry' });
    expect(drop.retry.every((x) => x === 0)).toBe(true);
    expect(retry.retry.some((x) => x === 1)).toBe(true);
    expect(refusals(drop, [0])).toBeGreaterThan(0);
  });

  it('metrics: share, toggles and step response on a hand-made trace', () => {
    // hot attempts at 0..9 s: allowed, refused, refused, allowed, allowed; reads in between
    const tr = trace(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [0, READ, 0, READ, 0, READ, 0, READ, 0, READ],
      [1, 1, 0, 1, 0, 1, 1, 1, 1, 1],
    );
    expect(admittedShare(tr, 0, 10)).toBeCloseTo(3 / 8, 12);
    expect(togglesPerMinute(tr, 0, 10)).toBeCloseTo((2 * 60) / 10, 12);
    expect(refusals(tr, [0])).toBe(2);
    expect(Number.isNaN(admittedShare(tr, 20, 30))).toBe(true);
    const steady = trace(
      Array.from({ length: 400 }, (_, k) => k),
      Array.from({ length: 400 }, (_, k) => (k % 10 < 3 ? 0 : READ)),
      Array.from({ length: 400 }, () => 1),
    );
    const r = stepResponse(steady, 0, 400, 0.3, 40);
    expect(r.settlingS).toBeDefined();
    expect(r.overshoot).toBeLessThan(0.05);
    expect(stepResponse(steady, 0, 400, 0.1, 40).settlingS).toBeUndefined();
  });
});

describe("the same checks on 'proportional' (the targets are not vacuous)", () => {
  it('its steady-state error exceeds 0.05 and depends on the rate', () => {
    const slow = measureStep('proportional', 0.5, 'drop', 0.6);
    const fast = measureStep('proportional', 10, 'drop', 0.6);
    expect(Math.max(slow.ssError, fast.ssError)).toBeGreaterThan(0.05);
    expect(slow.maxFriction).toBeLessThanOrEqual(1);
  });

  it('it refuses a caller at exactly its target (S5) and rewards a 10 s duty cycle (S4)', () => {
    expect(measureInnocent('proportional', 10, 'at-target', 0.5).falsePositives).toBeGreaterThan(0);
    expect(measureDutyCycle('proportional', 10, 10, 0.5).advantage).toBeGreaterThan(1.1);
  });

  it('a pure spammer is stopped by both controllers', () => {
    expect(measureSpam('proportional', 0.05)).toBeLessThan(60);
    expect(measureSpam('adaptive', 0.05)).toBeLessThan(60);
    expect(measureSpam('adaptive', 0.05)).toBeGreaterThan(20);
  });
});
