import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrictionController } from '../../src/friction/controller.js';
import { MUTATION_GROUP, MUTATION_TOOLS } from './_fixtures.js';

const TOOLS = [...Object.keys(MUTATION_TOOLS), 'get_tasks', 'list_tasks'];

/** A call: tool index, whether it is checked, and the gap since the previous call (ms). */
const call = fc.record({
  tool: fc.integer({ min: 0, max: TOOLS.length - 1 }),
  checked: fc.boolean(),
  gapMs: fc.integer({ min: 0, max: 600_000 }),
});
const config = fc.record({
  warmupCalls: fc.integer({ min: 0, max: 25 }),
  timeDecayRate: fc.constantFrom(0, 0.001, 0.01),
  saturationWindow: fc.integer({ min: 0, max: 5 }),
  windowSize: fc.integer({ min: 1, max: 120 }),
});

function make(cfg: object, state?: ReturnType<FrictionController['exportState']>) {
  return new FrictionController({
    ...cfg,
    toolConfigs: MUTATION_TOOLS,
    toolGroups: { mutations: MUTATION_GROUP },
    now: () => 0,
    ...(state ? { state } : {}),
  });
}

function play(
  c: FrictionController,
  calls: readonly { tool: number; checked: boolean; gapMs: number }[],
  t0 = 0,
) {
  let t = t0;
  const out = [];
  for (const { tool, checked, gapMs } of calls) {
    t += gapMs;
    const name = TOOLS[tool]!;
    if (checked) out.push(c.checkAndRecord(name, t));
    else c.recordUnconfigured(name, t);
  }
  return { out, t };
}

describe('friction invariants (fast-check)', () => {
  it('friction stays in [0,1] and cost in [minCost, maxCost]', () => {
    fc.assert(
      fc.property(config, fc.array(call, { maxLength: 300 }), (cfg, calls) => {
        const c = make(cfg);
        const { out } = play(c, calls);
        for (const r of out) {
          expect(r.friction).toBeGreaterThanOrEqual(0);
          expect(r.friction).toBeLessThanOrEqual(1);
          const tc = MUTATION_TOOLS[r.toolName];
          if (tc) {
            expect(r.cost).toBeGreaterThanOrEqual(0.5 - 1e-12);
            expect(r.cost).toBeLessThanOrEqual(10 + 1e-12);
          }
        }
        for (const s of Object.values(c.status())) {
          expect(s.friction).toBeGreaterThanOrEqual(0);
          expect(s.friction).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('an idle period never raises friction', () => {
    fc.assert(
      fc.property(
        config,
        fc.array(call, { maxLength: 200 }),
        fc.integer({ min: 1, max: 1e8 }),
        (cfg, calls, idle) => {
          const c = make(cfg);
          const { t } = play(c, calls);
          const before = c.status(t);
          const after = c.status(t + idle);
          for (const [tool, s] of Object.entries(before)) {
            expect(after[tool]!.friction).toBeLessThanOrEqual(s.friction);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('identical call sequences give identical results', () => {
    fc.assert(
      fc.property(config, fc.array(call, { maxLength: 200 }), (cfg, calls) => {
        expect(play(make(cfg), calls).out).toEqual(play(make(cfg), calls).out);
      }),
      { numRuns: 100 },
    );
  });

  it('a state serialised to JSON and restored continues identically', () => {
    fc.assert(
      fc.property(
        config,
        fc.array(call, { maxLength: 150 }),
        fc.array(call, { maxLength: 100 }),
        (cfg, a, b) => {
          const original = make(cfg);
          const { t } = play(original, a);
          const copy = make(cfg, JSON.parse(JSON.stringify(original.exportState())));
          expect(copy.exportState()).toEqual(original.exportState());
          expect(play(copy, b, t).out).toEqual(play(original, b, t).out);
        },
      ),
      { numRuns: 100 },
    );
  });
});
