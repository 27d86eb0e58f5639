import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/lib/prng.js';
import { FrictionController } from '../../src/friction/controller.js';
import type { FrictionLevel } from '../../src/friction/decision.js';
import { MUTATION_GROUP, MUTATION_TOOLS } from './_fixtures.js';

const EPS = 1e-9;

function spamUntilBlocked(c: FrictionController, tool: string, max: number, stepMs = 1000) {
  for (let i = 1; i <= max; i++) {
    const r = c.checkAndRecord(tool, i * stepMs);
    if (!r.allowed) return { attempt: i, result: r };
  }
  return undefined;
}

describe('FrictionController reference trajectories', () => {
  it('reproduces the Python numbers (target 0.05, warm-up 0, no decay)', () => {
    const c = new FrictionController({
      controller: 'proportional',
      warmupCalls: 0,
      timeDecayRate: 0,
      toolConfigs: { t: { targetRate: 0.05 } },
      now: () => 0,
    });
    const expected = [
      [0.15, 0.008],
      [0.2775, 0.0262],
      [0.385875, 0.05307],
    ];
    for (const [ema, friction] of expected) {
      const r = c.recordCall('t');
      expect(Math.abs(r.currentRate - ema!)).toBeLessThan(EPS);
      expect(Math.abs(r.friction - friction!)).toBeLessThan(EPS);
    }
  });

  it('refuses the 20th attempt with default decay and warm-up 0', () => {
    for (const stepMs of [0, 1000]) {
      const c = new FrictionController({
        controller: 'proportional',
        warmupCalls: 0,
        toolConfigs: { delete_task: {} },
      });
      const blocked = spamUntilBlocked(c, 'delete_task', 100, stepMs);
      expect(blocked?.attempt).toBe(20);
      expect(blocked?.result.message).toBe('Blocked: friction 1.00 >= threshold 0.95');
      expect(blocked?.result.frictionLevel).toBe('BLOCKED');
    }
  });

  it('with the full defaults (warm-up 20), calls in one instant: refuses the 33rd attempt', () => {
    const c = new FrictionController({
      controller: 'proportional',
      toolConfigs: { delete_task: {} },
    });
    const blocked = spamUntilBlocked(c, 'delete_task', 100, 0);
    expect(blocked?.attempt).toBe(33);
    expect(blocked?.result.message).toBe('Blocked: friction 0.97 >= threshold 0.95');
  });

  it('keeps friction at 0 during warm-up while the EMA moves', () => {
    const c = new FrictionController({
      controller: 'proportional',
      toolConfigs: { delete_task: {} },
      now: () => 0,
    });
    for (let i = 0; i < 19; i++) {
      const r = c.recordCall('delete_task');
      expect(r.friction).toBe(0);
      expect(r.frictionLevel).toBe('NONE');
    }
    expect(c.check('delete_task').currentRate).toBeGreaterThan(0.9);
    expect(c.recordCall('delete_task').friction).toBeGreaterThan(0);
  });
});

describe('FrictionController behaviour', () => {
  const prod = (extra = {}) =>
    new FrictionController({
      controller: 'proportional',
      warmupCalls: 0,
      timeDecayRate: 0,
      toolConfigs: MUTATION_TOOLS,
      toolGroups: { mutations: MUTATION_GROUP },
      ...extra,
    });

  it('escalates NONE → LOW → MEDIUM → HIGH → BLOCKED, justification while allowed', () => {
    const c = prod();
    const seen: FrictionLevel[] = [];
    let justifiedAllowed = false;
    let blockedAt: number | undefined;
    for (let i = 0; i < 500 && blockedAt === undefined; i++) {
      const r = c.checkAndRecord('delete_task', i * 1000);
      if (seen.at(-1) !== r.frictionLevel) seen.push(r.frictionLevel);
      if (r.allowed && r.justificationRequired) justifiedAllowed = true;
      if (!r.allowed) blockedAt = i;
    }
    expect(seen).toEqual(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'BLOCKED']);
    expect(justifiedAllowed).toBe(true);
    expect(blockedAt).toBeLessThan(300);
  });

  it('never blocks a benign mix (20 % mutations over 11 tools, 80 % reads)', () => {
    const c = new FrictionController({
      controller: 'proportional',
      toolConfigs: MUTATION_TOOLS,
      toolGroups: { mutations: MUTATION_GROUP },
    });
    const rand = mulberry32(42);
    const names = Object.keys(MUTATION_TOOLS);
    let mutations = 0;
    for (let i = 0; i < 5000; i++) {
      const t = i * 1000;
      if (rand() < 0.2) {
        mutations++;
        const r = c.checkAndRecord(names[Math.floor(rand() * names.length)]!, t);
        expect(r.allowed).toBe(true);
      } else {
        c.recordUnconfigured('get_tasks', t);
      }
    }
    expect(mutations).toBeGreaterThan(900);
  });

  it('aggregate group pressure raises friction for spread-out mutations', () => {
    const c = prod();
    const names = Object.keys(MUTATION_TOOLS);
    for (let i = 0; i < 200; i++) c.recordCall(names[i % names.length]!, i * 1000);
    const total = Object.values(c.status()).reduce((a, s) => a + s.friction, 0);
    expect(total).toBeGreaterThan(0.5);
  });

  it('a blocked client retrying only the blocked tool is allowed after 30 idle minutes', () => {
    const c = prod({ timeDecayRate: 0.001 });
    const blocked = spamUntilBlocked(c, 'delete_task', 300);
    expect(blocked).toBeDefined();
    const t0 = blocked!.attempt * 1000;
    expect(c.check('delete_task', t0 + 1000).allowed).toBe(false);
    expect(blocked!.result.retryAfterMs).toBeGreaterThan(0);
    const later = c.check('delete_task', t0 + 30 * 60_000);
    expect(later.allowed).toBe(true);
    expect(['NONE', 'LOW']).toContain(later.frictionLevel);
    const atHint = c.check('delete_task', t0 + blocked!.result.retryAfterMs!);
    expect(atHint.allowed).toBe(true);
  });

  it('saturation raises the effective target and reports it once', () => {
    const saturated: string[] = [];
    const c = prod({ saturationWindow: 5, onSaturation: (t: string) => saturated.push(t) });
    for (let i = 0; i < 300; i++) {
      if (c.check('delete_task', i).allowed) c.recordCall('delete_task', i);
      else c.recordUnconfigured('get_tasks', i);
    }
    const r = c.check('delete_task', 300);
    expect(r.effectiveTarget).toBeGreaterThan(0.03);
    expect(r.saturationDetected).toBe(true);
    expect(saturated).toEqual(['delete_task']);
  });

  it('refuses on budget with the budget message', () => {
    const c = new FrictionController({
      controller: 'proportional',
      defaultBudget: 0.9,
      toolConfigs: { x: {} },
      now: () => 0,
    });
    expect(c.checkAndRecord('x').allowed).toBe(true);
    const r = c.checkAndRecord('x');
    expect(r.allowed).toBe(false);
    expect(r.message).toBe('Insufficient budget: 0.4 < 0.5');
    expect(r.retryAfterMs).toBeUndefined();
    expect(c.budgetRemaining).toBeCloseTo(0.4, 12);
  });

  it('reports unconfigured tools with their raw window share', () => {
    const c = prod();
    c.recordUnconfigured('get_tasks', 0);
    c.recordCall('delete_task', 1);
    const r = c.check('get_tasks', 2);
    expect(r).toMatchObject({
      allowed: true,
      cost: 0,
      targetRate: 0,
      message: 'No friction configured',
    });
    expect(r.currentRate).toBe(0.5);
    expect(c.status(2).delete_task!.rawRate).toBe(0.5);
  });

  it('frees window slots of unconfigured tools that leave the window', () => {
    const c = new FrictionController({
      controller: 'proportional',
      windowSize: 3,
      toolConfigs: { x: {} },
      now: () => 0,
    });
    for (const tool of ['a', 'b', 'c', 'd', 'e', 'a']) c.recordUnconfigured(tool);
    expect(
      c
        .exportState()
        .others.filter((n) => n !== '')
        .sort(),
    ).toEqual(['a', 'd', 'e']);
    expect(c.check('a').currentRate).toBeCloseTo(1 / 3, 12);
    expect(c.check('b').currentRate).toBe(0);
  });

  it('prints the threshold like Python (1.0)', () => {
    const c = new FrictionController({
      controller: 'proportional',
      warmupCalls: 0,
      toolConfigs: { x: { hardBlockThreshold: 1 } },
      now: () => 0,
    });
    const blocked = spamUntilBlocked(c, 'x', 100, 0);
    expect(blocked?.result.message).toBe('Blocked: friction 1.00 >= threshold 1.0');
  });
});

describe('FrictionController configuration', () => {
  const bad: [Record<string, unknown>, string, string][] = [
    [{ windowSize: 0 }, 'ERR_INVALID_ARG_VALUE', 'windowSize'],
    [{ windowSize: 1.5 }, 'ERR_INVALID_ARG_VALUE', 'windowSize'],
    [{ emaAlpha: 0 }, 'ERR_INVALID_ARG_VALUE', 'emaAlpha'],
    [{ emaAlpha: '0.1' }, 'ERR_INVALID_ARG_TYPE', 'emaAlpha'],
    [{ timeDecayRate: -1 }, 'ERR_INVALID_ARG_VALUE', 'timeDecayRate'],
    [{ deadZone: Number.NaN }, 'ERR_INVALID_ARG_VALUE', 'deadZone'],
    [{ saturationWindow: -1 }, 'ERR_INVALID_ARG_VALUE', 'saturationWindow'],
    [
      { toolConfigs: { x: { targetRate: 2 } } },
      'ERR_INVALID_ARG_VALUE',
      'toolConfigs.x.targetRate',
    ],
    [
      { toolConfigs: { x: { minCost: 5, maxCost: 1 } } },
      'ERR_INVALID_ARG_VALUE',
      'toolConfigs.x.maxCost',
    ],
    [
      { toolConfigs: { x: { hardBlockThreshold: 0 } } },
      'ERR_INVALID_ARG_VALUE',
      'hardBlockThreshold',
    ],
    [{ toolConfigs: [] }, 'ERR_INVALID_ARG_TYPE', 'toolConfigs'],
    [{ toolGroups: { g: { tools: [] } } }, 'ERR_INVALID_ARG_VALUE', 'toolGroups.g.tools'],
    [{ toolGroups: { g: { tools: ['a', 'a'] } } }, 'ERR_INVALID_ARG_VALUE', 'toolGroups.g.tools'],
    [{ toolGroups: { g: { tools: 'a' } } }, 'ERR_INVALID_ARG_TYPE', 'toolGroups.g.tools'],
    [
      { toolGroups: { g: { tools: ['a'], aggregateTarget: -0.1 } } },
      'ERR_INVALID_ARG_VALUE',
      'aggregateTarget',
    ],
    [{ now: 5 }, 'ERR_INVALID_ARG_TYPE', 'now'],
    [{ state: { v: 2 } }, 'ERR_INVALID_ARG_VALUE', 'state'],
  ];
  it.each(bad)('rejects %o', (options, code, name) => {
    let error: unknown;
    try {
      new FrictionController(options as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(name);
  });

  it('does not mutate its input and freezes the resolved config', () => {
    const input = { toolConfigs: { x: { targetRate: 0.1 } } };
    const c = new FrictionController(input);
    expect(input).toEqual({ toolConfigs: { x: { targetRate: 0.1 } } });
    expect(Object.isFrozen(c.config)).toBe(true);
    expect(c.config.tools[0]).toMatchObject({ name: 'x', targetRate: 0.1, maxCost: 10 });
  });
});
