import { describe, expect, it } from 'vitest';
import { simulate } from '../../bench/friction-convergence.js';

describe('friction convergence simulation (target 3 %, 5 000 calls, 1 call/s)', () => {
  const runs = [0.1, 0.3, 0.5].map((p) => simulate(p));

  it('holds the allowed share far below the attempted share', () => {
    for (const r of runs) {
      expect(r.achievedShare).toBeLessThan(r.attemptShare * 0.75);
      expect(r.achievedShare).toBeGreaterThan(0.03);
      expect(r.achievedShare).toBeLessThan(0.15);
    }
  });

  it('refuses more as the pressure grows', () => {
    expect(runs[0]!.refusedShare).toBeLessThan(runs[1]!.refusedShare);
    expect(runs[1]!.refusedShare).toBeLessThan(runs[2]!.refusedShare);
    expect(runs[2]!.refusedShare).toBeGreaterThan(0.7);
  });

  it('does not starve a client at its target share', () => {
    const atTarget = simulate(0.03, 0.03, 5000, 7);
    expect(atTarget.refusedShare).toBeLessThan(0.1);
  });
});
