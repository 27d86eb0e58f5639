import { describe, expect, it } from 'vitest';
import { DILUTION_CEILING, measureDilution } from '../../bench/sim/dilution.js';
import {
  measureDutyCycle,
  measureInnocent,
  measureStep,
  measureWindup,
  PERIODS,
  RATES,
} from '../../bench/sim/suite.js';

// The targets of issue 8 for controller: 'adaptive', on the scenarios of bench/sim (shortened
// where it does not change what is measured). The same checks on 'proportional' are in
// harness.test.ts, to show that they can fail.

describe('adaptive controller: steady-state error and toggles (S1/S3)', () => {
  for (const client of ['drop', 'retry'] as const) {
    it.each(RATES)(`Λ = %s/s, ${client}: error ≤ 0.02, ≤ 6 toggles/min, friction ≤ 1`, (rate) => {
      const r = measureStep('adaptive', rate, client);
      expect(r.ssError).toBeLessThanOrEqual(0.02);
      expect(r.preError).toBeLessThanOrEqual(0.02);
      expect(r.togglesPerMin).toBeLessThanOrEqual(6);
      expect(r.maxFriction).toBeLessThanOrEqual(1);
      expect(r.settlingS).toBeDefined();
    });
  }
});

describe('dilution (19 reads per delete at 10 calls/s): only a ceiling bounds it', () => {
  it.each(['proportional', 'adaptive'] as const)('%s', (kind) => {
    const free = measureDilution(kind, undefined, 600);
    expect(free.admitted).toBe(free.attempts);
    const capped = measureDilution(kind, DILUTION_CEILING, 600);
    // GCRA: fewer than limit + L × limit / windowMs admitted over L = 600 s.
    expect(capped.admitted).toBeLessThan(5 + 50);
    expect(capped.admitted).toBeGreaterThanOrEqual(50);
  });
});

describe('adaptive controller: duty-cycle attacker (S4)', () => {
  for (const rate of [1, 10]) {
    it.each(PERIODS)(`P = %s s at Λ = ${rate}/s: advantage ≤ 1.10`, (period) => {
      const r = measureDutyCycle('adaptive', rate, period, 0.5);
      expect(r.advantage).toBeLessThanOrEqual(1.1);
      expect(r.steadyShare).toBeGreaterThan(0.25);
      expect(r.maxFriction).toBeLessThanOrEqual(1);
    });
  }
});

describe('adaptive controller: innocent use is never refused (S5)', () => {
  for (const variant of ['at-target', 'production', 'half'] as const) {
    it.each([0.5, 10, 50])(`${variant} at Λ = %s/s: 0 false positives`, (rate) => {
      const r = measureInnocent('adaptive', rate, variant, 0.5);
      expect(r.attempts).toBeGreaterThan(1000);
      expect(r.falsePositives).toBe(0);
    });
  }
});

describe('adaptive controller: wind-up (S6)', () => {
  const cases = [
    { rate: 1, silent: false, lambda: 0.001 },
    { rate: 10, silent: true, lambda: 0.001 },
    { rate: 1, silent: true, lambda: 0.01 },
    { rate: 10, silent: false, lambda: 0.05 },
    { rate: 1, silent: true, lambda: 0.05 },
  ];
  it.each(cases)('Λ $rate/s, silent $silent, λ $lambda: admitted within 3 τ', (c) => {
    const r = measureWindup('adaptive', c.rate, c.silent, c.lambda);
    expect(r.recoveryS).toBeDefined();
    expect(r.recoveryS!).toBeLessThanOrEqual(3 * r.tauS);
    expect(r.maxFriction).toBeLessThanOrEqual(1);
  });
});
