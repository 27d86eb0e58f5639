import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryFrictionStore } from '../../src/friction/memory-state-store.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { FrictionStateStore, Store } from '../../src/store/types.js';
import { captureLogger } from './_logger.js';

/**
 * The registry takes a direct path on the in-process state store (no step outcome object, no
 * result for `recordUnconfigured`). Through the store port alone — synchronous `stepSync`, or
 * only the asynchronous `step` with its per-client chain — the same binding must give the same
 * decisions, the same log records in the same order, evictions, penalties and saturations
 * included.
 */

/** A memory store whose friction binding shows only the port (`stepSync` when `sync`). */
function portOnly(memory: MemoryStore, sync: boolean): Store {
  return {
    shared: false,
    get: (k) => memory.get(k),
    set: (k, v, ttl) => memory.set(k, v, ttl),
    delete: (k) => memory.delete(k),
    close: () => memory.close(),
    friction: (spec) => {
      const inner = memory.friction(spec);
      const port: FrictionStateStore = {
        get size() {
          return inner.size;
        },
        step: (...args) => inner.step(...args),
        status: (key, now) => inner.status(key, now),
        ...(sync ? { stepSync: (...args) => inner.stepSync!(...args) } : {}),
      };
      return port;
    },
  };
}

const TOOLS = ['a', 'b', 'c', 'c', 'c', 'free-1', 'free-2'];

function contenders(controller: 'proportional' | 'adaptive', maxClients: number) {
  let t = 1_700_000_000_000;
  const now = () => t;
  const options = {
    defaultConfig: {
      controller,
      warmupCalls: 1,
      saturationWindow: 2,
      saturationThreshold: 0.3,
      adaptive: { burstCalls: 3 },
    },
    toolConfigs: {
      a: { targetRate: 0.1, justificationThreshold: 0.5 },
      b: { targetRate: 0.2, hardBlockThreshold: 0.7, ceiling: { limit: 3, windowMs: 2000 } },
      c: { targetRate: 0.05 },
    },
    toolGroups: { g: { tools: ['a', 'b', 'free-1'], aggregateTarget: 0.2 } },
    maxClients,
    penaltyMinFriction: 0.05,
    now,
  };
  const stores = [
    new MemoryStore({ now }),
    portOnly(new MemoryStore({ now }), true),
    portOnly(new MemoryStore({ now }), false),
  ];
  const loggers = stores.map(() => captureLogger());
  const registries = stores.map(
    (store, i) => new FrictionRegistry({ ...options, store, logger: loggers[i]! }),
  );
  registries.push(new FrictionRegistry({ ...options, logger: captureLogger() }));
  loggers.push(registries[3]!.logger as ReturnType<typeof captureLogger>);
  return { registries, stores, loggers, tick: (ms: number) => (t += ms) };
}

const callArb = fc.record({
  client: fc.constantFrom(0, 0, 0, 1, 2, 3),
  tool: fc.constantFrom(...TOOLS),
  check: fc.boolean(),
  dt: fc.constantFrom(0, 1, 1, 1, 1, 40, 900, 30_000),
});

describe('FrictionRegistry on the in-process store', () => {
  it.each(['proportional', 'adaptive'] as const)(
    'decides and logs as through the store port alone (%s)',
    async (controller) => {
      const seen = new Set<unknown>();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(callArb, { minLength: 80, maxLength: 250 }),
          async (maxClients, calls) => {
            const { registries, stores, loggers, tick } = contenders(controller, maxClients);
            for (const call of calls) {
              tick(call.dt);
              const key = `c${call.client}`;
              if (call.check) {
                const [first, ...rest] = await Promise.all(
                  registries.map((r) => r.checkAndRecord(key, call.tool)),
                );
                for (const r of rest) expect(r).toEqual(first);
              } else {
                await Promise.all(registries.map((r) => r.recordUnconfigured(key, call.tool)));
              }
              for (const r of registries) expect(r.clientCount).toBe(registries[0]!.clientCount);
            }
            for (const l of loggers.slice(1)) expect(l.records).toEqual(loggers[0]!.records);
            for (const r of loggers[0]!.records) seen.add(r.event_type);
            for (let c = 0; c <= 3; c++) {
              const [first, ...rest] = await Promise.all(
                registries.map((r) => r.getClientStatus(`c${c}`)),
              );
              for (const s of rest) expect(s).toEqual(first);
            }
            for (const r of registries) await r.close();
            for (const s of stores) await s.close();
          },
        ),
        { numRuns: 60, seed: 18 },
      );
      for (const type of ['friction_client_evicted', 'friction_saturation', 'friction_block']) {
        expect(seen).toContain(type);
      }
    },
  );

  it('logs evictions, penalties and saturations on that path', async () => {
    const { registries, loggers, tick } = contenders('proportional', 1);
    const reg = registries[0]!;
    for (let i = 0; i < 40; i++) {
      tick(1);
      await reg.checkAndRecord('x', 'a');
    }
    await reg.recordUnconfigured('y', 'free-2');
    await reg.checkAndRecord('x', 'c');
    const types = new Set(loggers[0]!.records.map((r) => r.event_type));
    for (const type of [
      'friction_client_created',
      'friction_client_evicted',
      'friction_penalty_captured',
      'friction_penalty_restored',
      'friction_saturation',
      'friction_block',
    ]) {
      expect(types).toContain(type);
    }
  });
});

describe('a throwing in-process step', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the store-failure result and outage logs of the port path', async () => {
    const { registries, loggers } = contenders('adaptive', 4);
    const fast = registries[0]!;
    const port = registries[1]!;
    const down = () => {
      throw Object.assign(new Error('down'), { code: 'ERR_STORE_UNAVAILABLE' });
    };
    const proto = MemoryFrictionStore.prototype;
    const calls = async () => [
      await fast.checkAndRecord('k', 'a'),
      await fast.recordUnconfigured('k', 'free-1'),
      await port.checkAndRecord('k', 'a'),
      await port.recordUnconfigured('k', 'free-1'),
    ];
    const spies = [
      vi.spyOn(proto, 'stepSync').mockImplementation(down),
      vi.spyOn(proto, 'checkAndRecordSync').mockImplementation(down),
      vi.spyOn(proto, 'recordSync').mockImplementation(down),
    ];
    const failed = await calls();
    expect(failed[0]).toEqual(failed[2]);
    expect(failed[0]).toMatchObject({ allowed: false, message: 'Friction store unavailable' });
    for (const s of spies) expect(s).toHaveBeenCalled();
    vi.restoreAllMocks();
    const ok = await calls();
    expect(ok[0]).toMatchObject({ allowed: true });
    const strip = (l: (typeof loggers)[0]) =>
      l.records.map(({ down_ms: _, ...r }) => r).filter((r) => r.event_type !== 'friction_check');
    expect(strip(loggers[0]!)).toEqual(strip(loggers[1]!));
    expect(loggers[0]!.records.map((r) => r.event_type)).toContain('friction_store_recovered');
  });
});
