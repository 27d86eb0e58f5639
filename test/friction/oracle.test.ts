import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FrictionConfigInput, resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import {
  checkAndRecordState,
  checkState,
  createState,
  peakFrictions,
  plainState,
  recordState,
  restoreFrictions,
} from '../../src/friction/state.js';
import * as oracle from './_oracle/state.js';

/**
 * The step as it was before the performance work of issue 18 (test/friction/_oracle/ is a copy
 * of that state.ts, adaptive-state.ts and decision.ts): the optimised step must give bit-identical
 * results, saturation events and states for any configuration and call sequence.
 */

const TOOLS = ['a', 'b', 'c', 'd', 'free-1', 'free-2', 'free-3'];

const ceiling = fc.option(
  fc.record({
    limit: fc.integer({ min: 1, max: 6 }),
    windowMs: fc.constantFrom(1, 700, 5000, 3_600_000),
  }),
  { nil: undefined },
);

const configArb = fc.record({
  controller: fc.constantFrom('proportional' as const, 'adaptive' as const),
  windowSize: fc.integer({ min: 1, max: 40 }),
  warmupCalls: fc.integer({ min: 0, max: 25 }),
  emaAlpha: fc.constantFrom(0.15, 0.5, 1),
  timeDecayRate: fc.constantFrom(0, 0.001, 0.05),
  saturationWindow: fc.integer({ min: 0, max: 3 }),
  saturationThreshold: fc.constantFrom(0.3, 0.9),
  defaultBudget: fc.constantFrom(Number.POSITIVE_INFINITY, 60),
  pressureWeight: fc.constantFrom(0, 1, 2),
  justificationThreshold: fc.constantFrom(0, 0.6),
  burstCalls: fc.constantFrom(2, 5, 30),
  ceilA: ceiling,
  ceilG: ceiling,
});

const stepArb = fc.record({
  tool: fc.constantFrom(...TOOLS),
  dt: fc.constantFrom(0, 1, 250, 3000, 120_000, -500),
  mode: fc.constantFrom('check' as const, 'record' as const, 'recordCharged' as const),
});

type Tuning = Record<string, unknown> & {
  controller: 'proportional' | 'adaptive';
  pressureWeight: number;
  justificationThreshold: number;
  burstCalls: number;
  ceilA?: { limit: number; windowMs: number } | undefined;
  ceilG?: { limit: number; windowMs: number } | undefined;
};

function input(tuning: Tuning): FrictionConfigInput {
  const { pressureWeight, justificationThreshold, burstCalls, ceilA, ceilG, ...rest } = tuning;
  return {
    ...(rest as FrictionConfigInput),
    adaptive: { burstCalls },
    toolConfigs: {
      a: { targetRate: 0.1, justificationThreshold, ceiling: ceilA },
      b: { targetRate: 0.3, hardBlockThreshold: 0.7 },
      c: { minCost: 1, maxCost: 3 },
      d: { targetRate: 0 },
    },
    toolGroups: {
      g: { tools: ['a', 'b', 'c', 'free-1'], aggregateTarget: 0.2, pressureWeight, ceiling: ceilG },
      h: { tools: ['c', 'd'], aggregateTarget: 0.05 },
    },
  };
}

describe('the optimised friction step equals the previous one (oracle)', () => {
  it('same results, saturation events and states for random configs and sequences', () => {
    fc.assert(
      fc.property(configArb, fc.array(stepArb, { maxLength: 120 }), (c, steps) => {
        const cfg = resolveFrictionConfig(input(c));
        const s = createState(cfg);
        const o = oracle.createState(cfg);
        expect(plainState(s)).toEqual(o);
        let t = 1_700_000_000_000;
        for (const step of steps) {
          t += step.dt;
          const satNew: number[] = [];
          const satOld: number[] = [];
          if (step.mode === 'check') {
            const r = checkAndRecordState(cfg, s, step.tool, t, (i) => satNew.push(i));
            const ro = oracle.checkAndRecordState(cfg, o, step.tool, t, (i) => satOld.push(i));
            expect(r).toEqual(ro);
          } else {
            const charge = step.mode === 'recordCharged';
            recordState(cfg, s, step.tool, t, charge, (i) => satNew.push(i));
            oracle.recordState(cfg, o, step.tool, t, charge, (i) => satOld.push(i));
          }
          expect(satNew).toEqual(satOld);
          expect(checkState(cfg, s, step.tool, t + 10)).toEqual(
            oracle.checkState(cfg, o, step.tool, t + 10),
          );
          expect(plainState(s)).toEqual(o);
        }
        expect(peakFrictions(cfg, s, t + 60_000, 0)).toEqual(
          oracle.peakFrictions(cfg, o, t + 60_000, 0),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('restoring penalties gives the same state', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.dictionary(fc.constantFrom(...TOOLS), fc.double({ min: 0, max: 2, noNaN: true })),
        (c, levels) => {
          const cfg = resolveFrictionConfig(input(c));
          const s = createState(cfg);
          const o = oracle.createState(cfg);
          restoreFrictions(cfg, s, levels, 1000);
          oracle.restoreFrictions(cfg, o, levels, 1000);
          expect(plainState(s)).toEqual(o);
        },
      ),
    );
  });

  it('the controller exports exactly the state the previous step builds', () => {
    const cfg = input({
      controller: 'adaptive',
      pressureWeight: 1,
      justificationThreshold: 0.6,
      burstCalls: 5,
    });
    const controller = new FrictionController(cfg);
    const resolved = resolveFrictionConfig(cfg);
    const o = oracle.createState(resolved);
    for (let i = 0; i < 200; i++) {
      const tool = TOOLS[(i * 7) % TOOLS.length]!;
      expect(controller.checkAndRecord(tool, 1000 + i * 300)).toEqual(
        oracle.checkAndRecordState(resolved, o, tool, 1000 + i * 300),
      );
    }
    expect(controller.exportState()).toEqual(o);
  });
});
