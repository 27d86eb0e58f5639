import { describe, expect, it } from 'vitest';
import { AuthflowError } from '../../src/errors.js';
import { FrictionController } from '../../src/friction/controller.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { rateLimitedResult } from '../../src/friction/wrappers.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { captureLogger } from './_logger.js';

const KINDS = ['proportional', 'adaptive'] as const;
const MINUTE = 60_000;

function padded(c: FrictionController, seconds: number, t0 = 0) {
  // 10 calls/s, 19 reads per delete: the attack of issue 19.
  let admitted = 0;
  for (let k = 0; k < seconds * 10; k++) {
    const t = t0 + k * 100;
    if (k % 20 === 19) {
      if (c.checkAndRecord('delete', t).allowed) admitted++;
    } else c.recordUnconfigured('read', t);
  }
  return admitted;
}

describe.each(KINDS)("absolute ceilings, controller '%s'", (controller) => {
  const make = (ceiling?: { limit: number; windowMs: number }) =>
    new FrictionController({ controller, toolConfigs: { delete: { ceiling } } });

  it('padding 19:1 no longer buys unlimited deletes: bounded by the ceiling', () => {
    expect(padded(make(), 600)).toBe(300);
    const bounded = padded(make({ limit: 5, windowMs: MINUTE }), 600);
    // Fewer than limit + L × limit / windowMs over L = 600 s: < 5 + 50.
    expect(bounded).toBeLessThan(55);
    expect(bounded).toBeGreaterThanOrEqual(50);
  });

  it('refuses with the friction result shape, a message naming the ceiling and an exact retry', () => {
    const c = make({ limit: 3, windowMs: 30_000 });
    for (let i = 0; i < 3; i++) expect(c.checkAndRecord('delete', 1000).allowed).toBe(true);
    const r = c.checkAndRecord('delete', 1000);
    expect(r).toMatchObject({
      toolName: 'delete',
      allowed: false,
      frictionLevel: 'BLOCKED',
      message: "Ceiling reached: 3 calls per 30000 ms for tool 'delete'",
      retryAfterMs: 10_001,
    });
    expect(r.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(c.check('delete', 1000 + 9_999).allowed).toBe(false);
    expect(c.checkAndRecord('delete', 1000 + 10_001).allowed).toBe(true);
    const text = rateLimitedResult('delete', r);
    expect(text.isError).toBe(true);
    expect(JSON.stringify(text.content)).toContain('Ceiling reached: 3 calls per 30000 ms');
    expect(c.status(1000 + 10_001).delete?.allowed).toBe(false);
  });

  it('limits a group on the combined calls of its configured members', () => {
    const c = new FrictionController({
      controller,
      toolConfigs: { a: {}, b: {} },
      toolGroups: { writes: { tools: ['a', 'b', 'x'], ceiling: { limit: 2, windowMs: 1000 } } },
    });
    expect(c.checkAndRecord('a', 0).allowed).toBe(true);
    expect(c.checkAndRecord('b', 0).allowed).toBe(true);
    const r = c.checkAndRecord('a', 0);
    expect(r.message).toBe("Ceiling reached: 2 calls per 1000 ms for group 'writes'");
    expect(r.retryAfterMs).toBe(501);
    expect(c.checkAndRecord('x', 0).allowed).toBe(true);
  });

  it('a clock that steps back never drains a bucket', () => {
    const c = make({ limit: 1, windowMs: 1000 });
    expect(c.checkAndRecord('delete', 10_000).allowed).toBe(true);
    expect(c.checkAndRecord('delete', 5_000).allowed).toBe(false);
    expect(c.checkAndRecord('delete', 10_999).allowed).toBe(false);
    expect(c.checkAndRecord('delete', 11_000).allowed).toBe(true);
  });

  it('the worst of several ceilings decides, and recordCall counts', () => {
    const c = new FrictionController({
      controller,
      toolConfigs: { a: { ceiling: { limit: 10, windowMs: 1000 } } },
      toolGroups: { g: { tools: ['a'], ceiling: { limit: 1, windowMs: 5000 } } },
    });
    c.recordCall('a', 0);
    const r = c.check('a', 0);
    expect(r.message).toContain("group 'g'");
    expect(r.retryAfterMs).toBe(5000);
  });

  it('eviction keeps friction (penalty restored, group accounts included)', async () => {
    const logger = captureLogger();
    const registry = new FrictionRegistry({
      defaultConfig: { controller, warmupCalls: 0 },
      toolConfigs: { delete: {}, other: {} },
      toolGroups: { g: { tools: ['delete', 'other'], aggregateTarget: 0.05 } },
      maxClients: 1,
      now: () => 1000,
      logger,
    });
    let r = await registry.checkAndRecord('a', 'delete');
    for (let i = 0; i < 400 && r.allowed; i++) r = await registry.checkAndRecord('a', 'delete');
    expect(r.allowed).toBe(false);
    await registry.checkAndRecord('b', 'read');
    expect((await registry.checkAndRecord('a', 'delete')).allowed).toBe(false);
    const events = logger.records.map((x) => x.event_type);
    expect(events).toContain('friction_penalty_captured');
    expect(events).toContain('friction_penalty_restored');
    await registry.close();
  });

  it('eviction keeps the ceiling buckets and the spent budget', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const registry = new FrictionRegistry({
      defaultConfig: { controller, defaultBudget: 2 },
      toolConfigs: {
        delete: { minCost: 1, maxCost: 1 },
        capped: { minCost: 0, maxCost: 0, ceiling: { limit: 1, windowMs: MINUTE } },
      },
      maxClients: 1,
      store,
      now: () => 0,
      logger: captureLogger(),
    });
    expect((await registry.checkAndRecord('a', 'delete')).allowed).toBe(true);
    expect((await registry.checkAndRecord('a', 'delete')).allowed).toBe(true);
    expect((await registry.checkAndRecord('a', 'capped')).allowed).toBe(true);
    const spent = await registry.checkAndRecord('a', 'delete');
    expect(spent.message).toBe('Insufficient budget: 0.0 < 1.0');
    await registry.checkAndRecord('b', 'delete'); // evicts a
    expect((await registry.checkAndRecord('a', 'delete')).message).toBe(
      'Insufficient budget: 0.0 < 1.0',
    );
    await registry.checkAndRecord('b', 'delete'); // evicts a again
    expect((await registry.checkAndRecord('a', 'capped')).message).toContain('Ceiling reached');
    await store.close();
  });
});

describe('ceiling options', () => {
  it.each([
    [{ ceiling: 5 }, 'ERR_INVALID_ARG_TYPE', 'toolConfigs.t.ceiling'],
    [{ ceiling: { limit: 0, windowMs: 1 } }, 'ERR_INVALID_ARG_VALUE', 'ceiling.limit'],
    [{ ceiling: { limit: 1.5, windowMs: 1 } }, 'ERR_INVALID_ARG_VALUE', 'ceiling.limit'],
    [{ ceiling: { limit: 1, windowMs: '1' } }, 'ERR_INVALID_ARG_TYPE', 'ceiling.windowMs'],
    [{ ceiling: { limit: 1 } }, 'ERR_INVALID_ARG_TYPE', 'ceiling.windowMs'],
  ])('rejects %j', (tool, code, name) => {
    const make = () => new FrictionController({ toolConfigs: { t: tool as never } });
    expect(make).toThrow(expect.objectContaining({ code }));
    expect(make).toThrow(name);
  });

  it('validates group ceilings and lists every ceiling with the tools it applies to', () => {
    expect(
      () =>
        new FrictionController({
          toolConfigs: { a: {} },
          toolGroups: { g: { tools: ['a'], ceiling: { limit: 1, windowMs: 0 } } },
        }),
    ).toThrow('toolGroups.g.ceiling.windowMs');
    const c = new FrictionController({
      toolConfigs: { a: { ceiling: { limit: 1, windowMs: 1 } }, b: {} },
      toolGroups: { g: { tools: ['b', 'a'], ceiling: { limit: 2, windowMs: 2 } } },
    });
    expect(c.config.ceilings.map((x) => `${x.kind}:${x.name}`)).toEqual(['tool:a', 'group:g']);
    expect(c.config.toolCeilings).toEqual([[0, 1], [1]]);
  });
});

describe('corrupt or foreign state: one rule (refused)', () => {
  const input = {
    controller: 'adaptive' as const,
    windowSize: 4,
    toolConfigs: { a: { ceiling: { limit: 1, windowMs: 10 } } },
  };
  const good = () => {
    const c = new FrictionController(input);
    c.checkAndRecord('a', 1);
    c.recordUnconfigured('r', 2);
    return c.exportState() as unknown as Record<string, unknown>;
  };
  const kinds: [string, (s: Record<string, unknown>) => void][] = [
    ['another version', (s) => (s.v = 2)],
    ['a short ring', (s) => (s.ring = [-1])],
    ['a short credit (adaptive)', (s) => (s.credit = [])],
    ['no adaptive fields', (s) => delete s.gate],
    ['no ceiling buckets', (s) => delete s.ceilLevel],
    ['a string in a numeric array', (s) => ((s.ema as unknown[])[0] = 'x')],
    ['NaN', (s) => ((s.friction as number[])[0] = Number.NaN)],
    ['a negative spent budget', (s) => (s.spent = -1)],
    ['a head outside the ring', (s) => (s.head = 4)],
    ['a ring slot without a tool', (s) => ((s.ring as number[])[0] = 9)],
    ['counts that disagree with the window', (s) => (s.size = 1)],
    ['a non-string other tool', (s) => ((s.others as unknown[])[0] = 5)],
    ['not an object', (s) => Object.setPrototypeOf(s, null)],
  ];
  it.each(kinds)('refuses %s', (_name, corrupt) => {
    expect(() => new FrictionController({ ...input, state: good() as never })).not.toThrow();
    const s = good();
    corrupt(s);
    const value = _name === 'not an object' ? 'nope' : s;
    expect(() => new FrictionController({ ...input, state: value as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
  });
});

describe('registry store failures', () => {
  const failing = (err: unknown): Store => {
    const base = new MemoryStore();
    return Object.assign(Object.create(base) as Store, {
      friction: () => ({
        size: 0,
        step: () => Promise.reject(err),
        status: () => Promise.resolve(undefined),
      }),
      close: () => base.close(),
    });
  };

  it("in 'fail-closed' mode an unlimited tool's result does not claim fail-open", async () => {
    const down = Object.assign(new Error('down'), { code: 'ERR_STORE_UNAVAILABLE' });
    for (const onStoreError of ['fail-closed', 'fail-open'] as const) {
      const registry = new FrictionRegistry({
        toolConfigs: { delete: {} },
        store: failing(down),
        onStoreError,
        logger: captureLogger(),
      });
      const free = await registry.checkAndRecord('c', 'read');
      expect(free).toMatchObject({ allowed: true });
      expect(free.message).toBe('Friction store unavailable; tool not limited');
      const limited = await registry.checkAndRecord('c', 'delete');
      expect(limited.allowed).toBe(onStoreError === 'fail-open');
      expect(limited.message).toBe(
        onStoreError === 'fail-open'
          ? 'Friction store unavailable; allowed (fail-open)'
          : 'Friction store unavailable',
      );
    }
  });

  it('an invalid stored state refuses limited tools even under fail-open, and is logged', async () => {
    const invalid = new AuthflowError('ERR_FRICTION_STATE_INVALID', 'bad');
    const logger = captureLogger();
    const registry = new FrictionRegistry({
      toolConfigs: { delete: {} },
      store: failing(invalid),
      onStoreError: 'fail-open',
      logger,
    });
    const r = await registry.checkAndRecord('c', 'delete');
    expect(r).toMatchObject({ allowed: false, message: 'Friction state invalid; refused' });
    expect((await registry.checkAndRecord('c', 'read')).allowed).toBe(true);
    await registry.recordUnconfigured('c', 'read');
    expect(JSON.stringify(logger.records)).toContain('friction_state_invalid');
    expect(JSON.stringify(logger.records)).not.toContain('friction_store_error');
  });

  it('exposes keyBy (the wrappers default to it) and rejects a bad one', () => {
    expect(new FrictionRegistry().keyBy).toBe('clientId');
    expect(new FrictionRegistry({ keyBy: 'subject' }).keyBy).toBe('subject');
    expect(() => new FrictionRegistry({ keyBy: 'email' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
  });
});
