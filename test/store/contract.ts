/**
 * The store contract suite: run it against every `Store` implementation (memory here, Redis in
 * its own test file) so the same call sequence gives the same frictions everywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FrictionControllerKind } from '../../src/friction/config.js';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import type { FrictionStoreSpec, Store } from '../../src/store/types.js';

/** How to build the store under test. */
export interface StoreHarness {
  /** Creates a fresh, empty store using `now` where it can. */
  create(now: () => number): Store | Promise<Store>;
  /** Whether TTLs follow the injected clock (else short real waits are used). */
  readonly injectedClock: boolean;
  /** Whether the store evicts least-recently-used clients beyond `maxClients`. */
  readonly evictsClients: boolean;
}

const TOOLS = { delete_task: { targetRate: 0.03 }, update_task: { targetRate: 0.1 } };
const GROUPS = { mutations: { tools: ['delete_task', 'update_task'], aggregateTarget: 0.1 } };

function spec(
  controller: FrictionControllerKind,
  over: Partial<FrictionStoreSpec> = {},
): FrictionStoreSpec {
  return {
    config: resolveFrictionConfig({
      controller,
      warmupCalls: 0,
      toolConfigs: TOOLS,
      toolGroups: GROUPS,
    }),
    maxClients: 100,
    penaltyTtlMs: 60_000,
    penaltyMinFriction: 0.1,
    ...over,
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Registers the contract tests for one store implementation and one controller (the friction
 * tests; the value tests do not depend on it).
 */
export function runStoreContract(
  name: string,
  harness: StoreHarness,
  controller: FrictionControllerKind = 'proportional',
): void {
  describe(`Store contract: ${name}, controller '${controller}'`, () => {
    let t = 1_000_000;
    let store: Store | undefined;
    const open = async () => {
      t = 1_000_000;
      store = await harness.create(() => t);
      return store;
    };
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('gets, sets and deletes values', async () => {
      const s = await open();
      expect(await s.get('k')).toBeUndefined();
      await s.set('k', 'v1', 60_000);
      expect(await s.get('k')).toBe('v1');
      await s.set('k', 'v2', 60_000);
      expect(await s.get('k')).toBe('v2');
      await s.delete('k');
      await s.delete('absent');
      expect(await s.get('k')).toBeUndefined();
    });

    it('expires values after their TTL', async () => {
      const s = await open();
      await s.set('short', 'x', harness.injectedClock ? 1000 : 50);
      await s.set('long', 'y', 600_000);
      if (harness.injectedClock) t += 1000;
      else await wait(150);
      expect(await s.get('short')).toBeUndefined();
      expect(await s.get('long')).toBe('y');
    });

    it('setIfAbsent: true once while the key lives, atomically under concurrency, again after TTL', async () => {
      const s = await open();
      expect(await s.setIfAbsent?.('once', 60_000)).toBe(true);
      expect(await s.setIfAbsent?.('once', 60_000)).toBe(false);
      const race = await Promise.all(
        Array.from({ length: 20 }, () => s.setIfAbsent?.('race', 60_000)),
      );
      expect(race.filter((r) => r === true)).toHaveLength(1);
      await s.set('held', 'v', 60_000);
      expect(await s.setIfAbsent?.('held', 60_000)).toBe(false);
      expect(await s.get('held')).toBe('v');
      expect(await s.setIfAbsent?.('short', harness.injectedClock ? 1000 : 50)).toBe(true);
      if (harness.injectedClock) t += 1000;
      else await wait(150);
      expect(await s.setIfAbsent?.('short', 60_000)).toBe(true);
      await expect(s.setIfAbsent?.('k', 0)).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE',
      });
    });

    it('refuses a non-positive TTL', async () => {
      const s = await open();
      await expect(s.set('k', 'v', 0)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    });

    it('gives the same decisions as the pure controller for the same sequence', async () => {
      const s = await open();
      const sp = spec(controller);
      const f = s.friction(sp);
      const reference = new FrictionController({
        controller,
        warmupCalls: 0,
        toolConfigs: TOOLS,
        toolGroups: GROUPS,
      });
      const tools = ['delete_task', 'get_tasks', 'update_task', 'delete_task', 'delete_task'];
      for (let i = 0; i < 150; i++) {
        const tool = tools[i % tools.length]!;
        const now = 1_000_000 + i * 700;
        const mode = tool === 'get_tasks' ? 'record' : 'check-and-record';
        const { result } = await f.step('client-a', tool, now, mode);
        if (mode === 'record') {
          reference.recordUnconfigured(tool, now);
          expect(result).toEqual(reference.check(tool, now));
        } else {
          expect(result).toEqual(reference.checkAndRecord(tool, now));
        }
      }
      expect(await f.status('client-a', 1_200_000)).toEqual(reference.status(1_200_000));
    });

    it('keeps clients independent and reports creation once', async () => {
      const s = await open();
      const f = s.friction(spec(controller));
      const first = await f.step('a', 'delete_task', t, 'check-and-record');
      expect(first.events).toContainEqual(
        expect.objectContaining({ type: 'created', clientKey: 'a' }),
      );
      for (let i = 0; i < 40; i++) await f.step('a', 'delete_task', t + i, 'check-and-record');
      const again = await f.step('a', 'delete_task', t + 50, 'check-and-record');
      expect(again.events).toEqual([]);
      const b = await f.step('b', 'delete_task', t + 60, 'check-and-record');
      expect(b.result.friction).toBe(0);
      expect(f.size).toBe(2);
      expect(await f.status('nobody', t)).toBeUndefined();
      expect((await f.status('a', t + 60))?.delete_task?.friction).toBeGreaterThan(0.5);
    });

    it('does not record a refused call', async () => {
      const s = await open();
      const f = s.friction(spec(controller));
      let refused: Awaited<ReturnType<typeof f.step>> | undefined;
      for (let i = 0; i < 100 && !refused; i++) {
        const o = await f.step('a', 'delete_task', t, 'check-and-record');
        if (!o.result.allowed) refused = o;
      }
      expect(refused).toBeDefined();
      const before = await f.status('a', t);
      await f.step('a', 'delete_task', t, 'check-and-record');
      expect(await f.status('a', t)).toEqual(before);
    });

    it.runIf(harness.evictsClients)('evicts beyond maxClients but restores penalties', async () => {
      const s = await open();
      const f = s.friction(spec(controller, { maxClients: 2 }));
      for (let i = 0; i < 40; i++) await f.step('spammer', 'delete_task', t, 'check-and-record');
      const peak = (await f.status('spammer', t))!.delete_task!.friction;
      await f.step('x', 'get_tasks', t, 'record');
      const evicting = await f.step('y', 'get_tasks', t, 'record');
      expect(evicting.events.map((e) => e.type)).toEqual([
        'penalty_captured',
        'evicted',
        'created',
      ]);
      expect(await f.status('spammer', t)).toBeUndefined();
      const back = await f.step('spammer', 'get_tasks', t, 'record');
      expect(back.events.map((e) => e.type)).toContain('penalty_restored');
      expect((await f.status('spammer', t))!.delete_task!.friction).toBeGreaterThanOrEqual(
        peak * 0.99,
      );
      expect(f.size).toBe(2);
    });

    it.runIf(harness.evictsClients && harness.injectedClock)(
      'drops expired penalties',
      async () => {
        const s = await open();
        const f = s.friction(spec(controller, { maxClients: 1, penaltyTtlMs: 10_000 }));
        for (let i = 0; i < 40; i++) await f.step('spammer', 'delete_task', t, 'check-and-record');
        await f.step('other', 'get_tasks', t, 'record');
        t += 11_000;
        const back = await f.step('spammer', 'get_tasks', t, 'record');
        expect(back.events.map((e) => e.type)).not.toContain('penalty_restored');
        expect((await f.status('spammer', t))!.delete_task!.friction).toBeLessThan(0.1);
      },
    );

    it('closes idempotently', async () => {
      const s = await open();
      await s.close();
      await s.close();
    });
  });
}
