import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/lib/prng.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { MemoryStore } from '../../src/store/memory.js';
import { MUTATION_GROUP, MUTATION_TOOLS } from './_fixtures.js';
import { captureLogger } from './_logger.js';

/**
 * A registry without a `store` keeps its states in friction's own in-memory state store (no
 * import of src/store): it must behave exactly as it did on `new MemoryStore({ now })`.
 */

const TOOLS = [...Object.keys(MUTATION_TOOLS), 'get_tasks', 'list_tasks'];

function pair(controller: 'proportional' | 'adaptive') {
  let t = 1_700_000_000_000;
  const now = () => t;
  const options = {
    defaultConfig: { controller, warmupCalls: 2 },
    toolConfigs: MUTATION_TOOLS,
    toolGroups: { mutations: MUTATION_GROUP },
    maxClients: 3,
    penaltyMinFriction: 0.05,
    now,
  };
  const store = new MemoryStore({ now });
  const ownLogger = captureLogger();
  const givenLogger = captureLogger();
  const own = new FrictionRegistry({ ...options, logger: ownLogger });
  const given = new FrictionRegistry({ ...options, store, logger: givenLogger });
  return { own, given, store, ownLogger, givenLogger, tick: (ms: number) => (t += ms) };
}

describe('FrictionRegistry without a store', () => {
  it.each(['proportional', 'adaptive'] as const)(
    'decides, evicts and restores penalties as on a new MemoryStore (%s)',
    async (controller) => {
      const { own, given, store, ownLogger, givenLogger, tick } = pair(controller);
      const rand = mulberry32(11);
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        tick(Math.floor(rand() * 400));
        const key = `c${Math.floor(rand() * 5)}`;
        const tool = rand() < 0.5 ? 'delete_task' : TOOLS[Math.floor(rand() * TOOLS.length)]!;
        if (rand() < 0.5) {
          const a = await own.checkAndRecord(key, tool);
          expect(a).toEqual(await given.checkAndRecord(key, tool));
          if (!a.allowed) refused++;
        } else {
          await own.recordUnconfigured(key, tool);
          await given.recordUnconfigured(key, tool);
        }
        expect(own.clientCount).toBe(given.clientCount);
      }
      expect(refused).toBeGreaterThan(0);
      const events = (l: typeof ownLogger) => l.records.map((r) => r.event_type);
      expect(events(ownLogger)).toContain('friction_penalty_restored');
      expect(events(ownLogger)).toEqual(events(givenLogger));
      for (const key of ['c0', 'c1', 'c2', 'c3', 'c4']) {
        expect(await own.getClientStatus(key)).toEqual(await given.getClientStatus(key));
      }
      await own.close();
      await store.close();
      expect(own.clientCount).toBe(0);
      expect(given.clientCount).toBe(0);
    },
  );

  it('close() drops its states and the registry still decides afterwards', async () => {
    const { own, given, store } = pair('adaptive');
    await own.checkAndRecord('a', 'delete_task');
    await own.close();
    await own.close();
    expect(own.clientCount).toBe(0);
    expect(await own.getClientStatus('a')).toBeUndefined();
    expect(await own.checkAndRecord('a', 'delete_task')).toMatchObject({ allowed: true });
    expect(own.clientCount).toBe(1);
    await given.close();
    await store.close();
  });
});
