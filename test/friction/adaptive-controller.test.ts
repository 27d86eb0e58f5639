import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { captureLogger } from './_logger.js';

const DELETE = { delete_task: { targetRate: 0.05 } };

function adaptive(extra: ConstructorParameters<typeof FrictionController>[0] = {}) {
  return new FrictionController({ controller: 'adaptive', toolConfigs: DELETE, ...extra });
}

/** Spams delete_task once a second from t = 1 s; returns the first refused result and its time. */
function spamUntilBlocked(c: FrictionController, limit = 1000) {
  for (let i = 1; i <= limit; i++) {
    const r = c.checkAndRecord('delete_task', i * 1000);
    if (!r.allowed) return { r, i, t: i * 1000 };
  }
  throw new Error('never blocked');
}

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return undefined;
}

describe('controller option and adaptive configuration', () => {
  it("defaults to 'adaptive'; 'proportional' keeps a state without the adaptive fields", () => {
    expect(resolveFrictionConfig({ toolConfigs: DELETE }).controller).toBe('adaptive');
    expect(Object.keys(new FrictionController({ toolConfigs: DELETE }).exportState())).toContain(
      'credit',
    );
    const proportional = new FrictionController({
      controller: 'proportional',
      toolConfigs: DELETE,
    });
    expect(proportional.config.controller).toBe('proportional');
    expect(Object.keys(proportional.exportState())).not.toContain('credit');
  });

  it('derives the burst per account from target and tolerance', () => {
    const cfg = resolveFrictionConfig({
      controller: 'adaptive',
      toolConfigs: { a: { targetRate: 0.3 }, b: { targetRate: 0.05 }, c: { targetRate: 0 } },
      toolGroups: { g: { tools: ['a', 'b'], aggregateTarget: 0.2 } },
    });
    expect(cfg.adaptive.toolBurst).toEqual([168, 38, 2]);
    expect(cfg.adaptive.groupBurst).toEqual([128]);
    expect(cfg.adaptive).toMatchObject({
      tolerance: 0.01,
      minBlockMs: 20_000,
      idleGraceMs: 60_000,
    });
    const tuned = resolveFrictionConfig({
      timeDecayRate: 0.05,
      adaptive: { burstCalls: 50, tolerance: 0.02, minBlockMs: 0 },
      toolConfigs: DELETE,
    });
    expect(tuned.adaptive).toMatchObject({ toolBurst: [50], tolerance: 0.02, idleGraceMs: 20_000 });
    expect(resolveFrictionConfig({ timeDecayRate: 0 }).adaptive.idleGraceMs).toBe(60_000);
  });

  it.each([
    [{ controller: 'pid' }, 'ERR_INVALID_ARG_VALUE'],
    [{ adaptive: 5 }, 'ERR_INVALID_ARG_TYPE'],
    [{ adaptive: { tolerance: 0 } }, 'ERR_INVALID_ARG_VALUE'],
    [{ adaptive: { tolerance: '0.1' } }, 'ERR_INVALID_ARG_TYPE'],
    [{ adaptive: { burstCalls: 1 } }, 'ERR_INVALID_ARG_VALUE'],
    [{ adaptive: { minBlockMs: 1.5 } }, 'ERR_INVALID_ARG_VALUE'],
    [{ adaptive: { idleGraceMs: -1 } }, 'ERR_INVALID_ARG_VALUE'],
  ])('rejects %j with %s', (bad, code) => {
    expect(codeOf(() => new FrictionController(bad as never))).toBe(code);
  });

  it('rejects a proportional state for an adaptive controller', () => {
    const state = new FrictionController({
      controller: 'proportional',
      toolConfigs: DELETE,
    }).exportState();
    expect(codeOf(() => adaptive({ state }))).toBe('ERR_INVALID_ARG_VALUE');
  });
});

describe("controller: 'adaptive'", () => {
  it('escalates a spammer through the levels and blocks the 40th call (burst 38)', () => {
    const c = adaptive();
    const levels = new Set<string>();
    let justifiedWhileAllowed = false;
    for (let i = 1; i < 40; i++) {
      const r = c.checkAndRecord('delete_task', i * 1000);
      expect(r.allowed).toBe(true);
      levels.add(r.frictionLevel);
      if (r.justificationRequired) justifiedWhileAllowed = true;
    }
    const r = c.checkAndRecord('delete_task', 40_000);
    expect(r).toMatchObject({ allowed: false, frictionLevel: 'BLOCKED', cost: expect.any(Number) });
    expect(r.message).toMatch(/^Blocked: friction 0\.9\d >= threshold 0\.95$/);
    expect([...levels]).toEqual(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
    expect(justifiedWhileAllowed).toBe(true);
    expect(r.retryAfterMs).toBeGreaterThan(60_000);
  });

  it('a closed gate stays closed for minBlockMs even when credit is back', () => {
    const c = adaptive();
    const { t } = spamUntilBlocked(c);
    const closedAt = t - 1000;
    for (let k = 1; k <= 200; k++) c.recordUnconfigured('list_tasks', t + k);
    expect(c.check('delete_task', closedAt + 19_500)).toMatchObject({
      allowed: false,
      retryAfterMs: 501,
    });
    expect(c.check('delete_task', closedAt + 20_000).allowed).toBe(true);
  });

  it('retryAfterMs is exact: blocked 2 ms before it, allowed at it', () => {
    const c = adaptive();
    const { r, t } = spamUntilBlocked(c);
    const wait = r.retryAfterMs!;
    expect(c.check('delete_task', t + wait - 2).allowed).toBe(false);
    expect(c.check('delete_task', t + wait).allowed).toBe(true);
  });

  it('a blocked client that only retries the blocked tool is allowed again after 30 min', () => {
    const c = adaptive();
    const { t } = spamUntilBlocked(c);
    let allowedAt: number | undefined;
    for (let s = 1; s <= 1800 && allowedAt === undefined; s++) {
      if (c.checkAndRecord('delete_task', t + s * 1000).allowed) allowedAt = s;
    }
    expect(allowedAt).toBeDefined();
    expect(allowedAt!).toBeLessThan(1800);
  });

  it('with no time decay, only other calls bring a blocked tool back', () => {
    const c = adaptive({ timeDecayRate: 0 });
    const { t, r } = spamUntilBlocked(c);
    expect(r.retryAfterMs).toBeUndefined();
    expect(c.check('delete_task', t + 3_600_000).allowed).toBe(false);
    for (let k = 1; k <= 30; k++) c.recordUnconfigured('list_tasks', t + k * 1000);
    expect(c.check('delete_task', t + 40_000).allowed).toBe(true);
  });

  it('a group gate refuses members used below their own targets', () => {
    const make = (pressureWeight: number) =>
      new FrictionController({
        controller: 'adaptive',
        toolConfigs: { a: { targetRate: 0.5 }, b: { targetRate: 0.5 } },
        toolGroups: { g: { tools: ['a', 'b'], aggregateTarget: 0.2, pressureWeight } },
      });
    const run = (c: FrictionController) => {
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        const tool = i % 5 === 0 ? 'a' : i % 5 === 1 ? 'b' : 'read';
        if (tool === 'read') c.recordUnconfigured(tool, i * 100);
        else if (!c.checkAndRecord(tool, i * 100).allowed) refused++;
      }
      return refused;
    };
    expect(run(make(1))).toBeGreaterThan(100);
    expect(run(make(0))).toBe(0);
  });

  it('saturation relief raises the effective target and is reported once', () => {
    const saturated: string[] = [];
    const c = adaptive({ saturationWindow: 3, onSaturation: (t) => saturated.push(t) });
    spamUntilBlocked(c);
    const r = c.check('delete_task', 100_000);
    expect(saturated).toEqual(['delete_task']);
    expect(r.saturationDetected).toBe(true);
    expect(r.effectiveTarget).toBeGreaterThan(0.05);
  });

  it('budgeting works as for the proportional controller', () => {
    const c = adaptive({ defaultBudget: 2 });
    expect(c.checkAndRecord('delete_task', 1000).allowed).toBe(true);
    expect(c.checkAndRecord('delete_task', 2000).allowed).toBe(true);
    const r = c.checkAndRecord('delete_task', 3000);
    expect(r.allowed).toBe(false);
    expect(r.message).toMatch(/^Insufficient budget/);
    expect(r.retryAfterMs).toBeUndefined();
  });

  it('exportState round-trips: a restored controller continues identically', () => {
    const a = adaptive();
    spamUntilBlocked(a);
    const b = adaptive({ state: a.exportState() });
    for (let k = 0; k < 50; k++) {
      const t = 100_000 + k * 700;
      const tool = k % 3 === 0 ? 'delete_task' : 'list_tasks';
      if (tool === 'list_tasks') {
        a.recordUnconfigured(tool, t);
        b.recordUnconfigured(tool, t);
      } else expect(b.checkAndRecord(tool, t)).toEqual(a.checkAndRecord(tool, t));
    }
    expect(JSON.parse(JSON.stringify(b.exportState()))).toEqual(a.exportState());
  });
});

describe("registry with controller: 'adaptive'", () => {
  it('blocks, logs the same events, and keeps the penalty across eviction', async () => {
    let now = 0;
    const logger = captureLogger();
    const reg = new FrictionRegistry({
      defaultConfig: { controller: 'adaptive' },
      toolConfigs: DELETE,
      maxClients: 1,
      now: () => now,
      logger,
    });
    expect(reg.config.controller).toBe('adaptive');
    let blockedAt = 0;
    for (let i = 1; i <= 100 && blockedAt === 0; i++) {
      now = i * 1000;
      if (!(await reg.checkAndRecord('spammer', 'delete_task')).allowed) blockedAt = i;
    }
    expect(blockedAt).toBe(40);
    now += 1000;
    await reg.checkAndRecord('other', 'list_tasks');
    now += 1000;
    expect((await reg.checkAndRecord('spammer', 'delete_task')).allowed).toBe(false);
    const types = logger.records.map((r) => r.event_type);
    for (const t of ['friction_check', 'friction_block', 'friction_justification']) {
      expect(types).toContain(t);
    }
    expect(types).toContain('friction_penalty_captured');
    expect(types).toContain('friction_penalty_restored');
    const status = await reg.getClientStatus('spammer');
    expect(status?.delete_task?.level).toBe('BLOCKED');
    await reg.close();
  });
});

describe('adaptive invariants (fast-check)', () => {
  const call = fc.record({
    tool: fc.constantFrom('delete_task', 'update_task', 'list_tasks'),
    dt: fc.integer({ min: 0, max: 120_000 }),
  });
  const tools = { delete_task: { targetRate: 0.05 }, update_task: { targetRate: 0.3 } };
  const replay = (seq: { tool: string; dt: number }[]) => {
    const c = new FrictionController({ controller: 'adaptive', toolConfigs: tools });
    let t = 0;
    return seq.map(({ tool, dt }) => {
      t += dt;
      return tool === 'list_tasks' ? c.recordUnconfigured(tool, t) : c.checkAndRecord(tool, t);
    });
  };

  it('friction in [0, 1], cost in [minCost, maxCost], deterministic', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 300 }), (seq) => {
        const a = replay(seq);
        expect(replay(seq)).toEqual(a);
        for (const r of a) {
          if (r === undefined) continue;
          expect(r.friction).toBeGreaterThanOrEqual(0);
          expect(r.friction).toBeLessThanOrEqual(1);
          expect(r.cost).toBeGreaterThanOrEqual(0.5);
          expect(r.cost).toBeLessThanOrEqual(10);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('an idle period never raises friction nor turns an allowed call into a refusal', () => {
    fc.assert(
      fc.property(
        fc.array(call, { maxLength: 200 }),
        fc.integer({ min: 1, max: 1e7 }),
        (seq, idle) => {
          const c = new FrictionController({ controller: 'adaptive', toolConfigs: tools });
          let t = 0;
          for (const { tool, dt } of seq) {
            t += dt;
            if (tool === 'list_tasks') c.recordUnconfigured(tool, t);
            else c.checkAndRecord(tool, t);
          }
          for (const tool of ['delete_task', 'update_task']) {
            const before = c.check(tool, t);
            const after = c.check(tool, t + idle);
            if (before.allowed) expect(after.allowed).toBe(true);
            if (after.allowed) expect(after.friction).toBeLessThanOrEqual(before.friction + 1e-12);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
