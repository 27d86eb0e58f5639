import { describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { FrictionStateStore, FrictionStepOutcome, Store } from '../../src/store/types.js';
import { MUTATION_GROUP, MUTATION_TOOLS } from './_fixtures.js';
import { captureLogger } from './_logger.js';

type StepArgs = Parameters<FrictionStateStore['step']>;

/** A memory store whose friction steps go through `step` (to inject failures and delays). */
function wrappedStore(
  memory: MemoryStore,
  step: (inner: FrictionStateStore, args: StepArgs) => Promise<FrictionStepOutcome>,
): Store {
  return {
    shared: false,
    get: (k) => memory.get(k),
    set: (k, v, ttl) => memory.set(k, v, ttl),
    delete: (k) => memory.delete(k),
    close: () => memory.close(),
    friction: (spec) => {
      const inner = memory.friction(spec);
      return {
        get size() {
          return inner.size;
        },
        step: (...args) => step(inner, args),
        status: (key, now) => inner.status(key, now),
      };
    },
  };
}

const storeDown = () =>
  Promise.reject(Object.assign(new Error('down'), { code: 'ERR_STORE_UNAVAILABLE' }));

function registry(extra: Partial<ConstructorParameters<typeof FrictionRegistry>[0]> = {}) {
  const logger = captureLogger();
  const reg = new FrictionRegistry({
    defaultConfig: { controller: 'proportional', warmupCalls: 0, timeDecayRate: 0 },
    toolConfigs: MUTATION_TOOLS,
    toolGroups: { mutations: MUTATION_GROUP },
    now: () => 1_000,
    logger,
    ...extra,
  });
  return { reg, logger };
}

describe('FrictionRegistry', () => {
  it('a spammer does not affect a normal client', async () => {
    const { reg } = registry();
    for (let i = 0; i < 100; i++) await reg.checkAndRecord('spammer', 'delete_task');
    const r = await reg.checkAndRecord('normal-user', 'delete_task');
    expect(r).toMatchObject({ allowed: true, friction: 0, frictionLevel: 'NONE' });
    expect(reg.clientCount).toBe(2);
  });

  it('two clients spamming different tools escalate independently', async () => {
    const { reg } = registry();
    for (let i = 0; i < 80; i++) {
      await Promise.all([
        reg.checkAndRecord('a', 'delete_task'),
        reg.checkAndRecord('b', 'update_task'),
      ]);
    }
    const a = (await reg.getClientStatus('a'))!;
    const b = (await reg.getClientStatus('b'))!;
    expect(a.delete_task!.friction).toBeGreaterThan(0.3);
    expect(a.update_task!.friction).toBeLessThan(0.1);
    expect(b.update_task!.friction).toBeGreaterThan(0.3);
    expect(b.delete_task!.friction).toBeLessThan(0.1);
  });

  it('cycling maxClients + 1 client keys does not reset a spammer', async () => {
    const { reg, logger } = registry({ maxClients: 50 });
    for (let i = 0; i < 40; i++) await reg.checkAndRecord('spammer', 'delete_task');
    const before = (await reg.getClientStatus('spammer'))!.delete_task!.friction;
    expect(before).toBeGreaterThan(0.5);
    for (let i = 0; i < 51; i++) await reg.recordUnconfigured(`sybil-${i}`, 'get_tasks');
    expect(await reg.getClientStatus('spammer')).toBeUndefined();
    expect(reg.clientCount).toBe(50);
    const back = await reg.checkAndRecord('spammer', 'delete_task');
    expect(back.friction).toBeGreaterThanOrEqual(before);
    expect(back.allowed).toBe(false);
    const types = logger.records.map((r) => r.event_type);
    expect(types).toContain('friction_penalty_captured');
    expect(types).toContain('friction_penalty_restored');
    expect(types).toContain('friction_client_evicted');
  });

  it('with penaltyTtlMs 0 eviction resets friction (penalty store disabled)', async () => {
    const { reg } = registry({ maxClients: 1, penaltyTtlMs: 0 });
    for (let i = 0; i < 40; i++) await reg.checkAndRecord('spammer', 'delete_task');
    await reg.recordUnconfigured('other', 'get_tasks');
    await reg.recordUnconfigured('spammer', 'get_tasks');
    expect((await reg.getClientStatus('spammer'))!.delete_task!.friction).toBe(0);
  });

  it('serialises concurrent calls of one client (same result as sequential)', async () => {
    const a = registry().reg;
    const b = registry().reg;
    const parallel = await Promise.all(
      Array.from({ length: 60 }, () => a.checkAndRecord('c', 'delete_task')),
    );
    const sequential = [];
    for (let i = 0; i < 60; i++) sequential.push(await b.checkAndRecord('c', 'delete_task'));
    expect(parallel).toEqual(sequential);
    expect(parallel.some((r) => !r.allowed)).toBe(true);
  });

  it('writes the decision events with the DESIGN fields', async () => {
    const { reg, logger } = registry();
    for (let i = 0; i < 40; i++) await reg.checkAndRecord('c1', 'delete_task');
    await reg.recordUnconfigured('c1', 'get_tasks');
    const byType = (t: string) => logger.records.filter((r) => r.event_type === t);
    const check = byType('friction_check');
    expect(check).toHaveLength(40);
    expect(Object.keys(check[0]!).sort()).toEqual(
      [
        'level',
        'event_type',
        'client_id',
        'tool_name',
        'friction',
        'friction_level',
        'ema_rate',
        'target_rate',
        'effective_target',
        'cost',
        'allowed',
        'justification_required',
        'saturation_detected',
      ].sort(),
    );
    expect(check[0]).toMatchObject({
      level: 'info',
      client_id: 'c1',
      tool_name: 'delete_task',
      allowed: true,
    });
    expect(byType('friction_block')[0]).toMatchObject({
      level: 'warn',
      allowed: false,
      friction_level: 'BLOCKED',
    });
    expect(byType('friction_justification')[0]).toMatchObject({
      justification_required: true,
      allowed: true,
    });
    expect(byType('friction_client_created')[0]).toMatchObject({
      level: 'debug',
      client_id: 'c1',
      total_clients: 1,
    });
  });

  it('logs saturation once', async () => {
    const { reg, logger } = registry({
      defaultConfig: { warmupCalls: 0, timeDecayRate: 0, saturationWindow: 3 },
      toolConfigs: { delete_task: { targetRate: 0.03, hardBlockThreshold: 1.5 } },
      toolGroups: {},
    });
    for (let i = 0; i < 60; i++) await reg.checkAndRecord('c', 'delete_task');
    const sat = logger.records.filter((r) => r.event_type === 'friction_saturation');
    expect(sat).toHaveLength(1);
    expect(sat[0]).toMatchObject({ level: 'warn', client_id: 'c', tool_name: 'delete_task' });
  });

  it('fails closed (default) or open when the store fails', async () => {
    const broken: Store = {
      shared: true,
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
      close: async () => {},
      friction: () => ({
        size: 0,
        step: () =>
          Promise.reject(Object.assign(new Error('down'), { code: 'ERR_STORE_UNAVAILABLE' })),
        status: async () => undefined,
      }),
    };
    const closed = registry({ store: broken });
    const r = await closed.reg.checkAndRecord('c', 'delete_task');
    expect(r).toMatchObject({
      allowed: false,
      frictionLevel: 'BLOCKED',
      message: 'Friction store unavailable',
    });
    expect((await closed.reg.checkAndRecord('c', 'get_tasks')).allowed).toBe(true);
    await closed.reg.recordUnconfigured('c', 'get_tasks');
    expect(
      closed.logger.records.filter((x) => x.event_type === 'friction_store_error'),
    ).toHaveLength(1);
    expect(closed.logger.records[0]).toMatchObject({
      level: 'error',
      code: 'ERR_STORE_UNAVAILABLE',
    });
    const open = registry({ store: broken, onStoreError: 'fail-open' });
    expect((await open.reg.checkAndRecord('c', 'delete_task')).allowed).toBe(true);
  });

  it('logs a store outage once, counts the failed decisions and logs the recovery', async () => {
    let t = 1_000;
    let down = false;
    const memory = new MemoryStore();
    const flaky = wrappedStore(memory, (inner, args) => (down ? storeDown() : inner.step(...args)));
    const { reg, logger } = registry({ store: flaky, now: () => t });
    const outageEvents = () =>
      logger.records
        .filter((r) => String(r.event_type).startsWith('friction_store_'))
        .map((r) => `${r.level}:${String(r.event_type)}`);
    for (let outage = 0; outage < 2; outage++) {
      down = true;
      for (let i = 0; i < 20; i++) await reg.checkAndRecord(`c${i % 3}`, 'delete_task');
      await reg.recordUnconfigured('c0', 'get_tasks');
      t += 5_000;
      down = false;
      expect((await reg.checkAndRecord('c0', 'delete_task')).allowed).toBe(true);
      await reg.checkAndRecord('c0', 'delete_task');
    }
    const once = ['error:friction_store_error', 'warn:friction_store_recovered'];
    expect(outageEvents()).toEqual([...once, ...once]);
    const recovered = logger.records.filter((r) => r.event_type === 'friction_store_recovered');
    expect(recovered[0]).toMatchObject({
      failed_decisions: 21,
      down_ms: 5_000,
      on_store_error: 'fail-closed',
    });
    await memory.close();
  });

  it('does not end an outage on a call that was already in flight when it began', async () => {
    let release: (() => void) | undefined;
    let failing = false;
    const memory = new MemoryStore();
    const store = wrappedStore(memory, async (inner, args) => {
      if (failing) return storeDown();
      if (args[0] === 'slow') await new Promise<void>((r) => (release = r));
      return inner.step(...args);
    });
    const { reg, logger } = registry({ store });
    const slow = reg.checkAndRecord('slow', 'delete_task');
    failing = true;
    await reg.checkAndRecord('fast', 'delete_task');
    failing = false;
    release!();
    await slow;
    const types = () => logger.records.map((r) => r.event_type);
    expect(types()).toContain('friction_store_error');
    expect(types()).not.toContain('friction_store_recovered');
    await reg.checkAndRecord('fast', 'delete_task');
    expect(types().filter((e) => e === 'friction_store_recovered')).toHaveLength(1);
    await memory.close();
  });

  it('uses a given store and closes only its own', async () => {
    const store = new MemoryStore();
    const { reg } = registry({ store });
    await reg.checkAndRecord('c', 'delete_task');
    await reg.close();
    await store.set('k', 'v', 1000);
    expect(await store.get('k')).toBe('v');
    await store.close();
  });

  it.each([
    [{ maxClients: 0 }, 'ERR_INVALID_ARG_VALUE', 'maxClients'],
    [{ maxClients: 2.5 }, 'ERR_INVALID_ARG_VALUE', 'maxClients'],
    [{ penaltyTtlMs: -1 }, 'ERR_INVALID_ARG_VALUE', 'penaltyTtlMs'],
    [{ penaltyMinFriction: 2 }, 'ERR_INVALID_ARG_VALUE', 'penaltyMinFriction'],
    [{ onStoreError: 'ignore' }, 'ERR_INVALID_ARG_VALUE', 'onStoreError'],
    [{ store: {} }, 'ERR_INVALID_ARG_TYPE', 'store'],
    [{ logger: {} }, 'ERR_INVALID_ARG_TYPE', 'logger'],
    [{ now: 'x' }, 'ERR_INVALID_ARG_TYPE', 'now'],
    [{ toolConfigs: { x: { maxCost: -1 } } }, 'ERR_INVALID_ARG_VALUE', 'toolConfigs.x.maxCost'],
  ])('rejects %o', (options, code, name) => {
    expect(() => new FrictionRegistry(options as never)).toThrow(name);
    expect(() => new FrictionRegistry(options as never)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects empty client keys and tool names', async () => {
    const { reg } = registry();
    await expect(reg.checkAndRecord('', 'delete_task')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    await expect(reg.recordUnconfigured('c', '')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
  });
});
