import { describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { MemoryStore } from '../../src/store/memory.js';
import { runStoreContract } from './contract.js';

for (const controller of ['proportional', 'adaptive'] as const) {
  runStoreContract(
    'MemoryStore',
    { create: (now) => new MemoryStore({ now }), injectedClock: true, evictsClients: true },
    controller,
  );
}

describe('MemoryStore bounds and options', () => {
  it('keeps at most maxEntries values, dropping the least recently used', async () => {
    const s = new MemoryStore({ maxEntries: 2 });
    await s.set('a', '1', 1000);
    await s.set('b', '2', 1000);
    await s.get('a');
    await s.set('c', '3', 1000);
    expect(await s.get('b')).toBeUndefined();
    expect(await s.get('a')).toBe('1');
    expect(s.size).toBe(2);
    await s.close();
  });

  it('sweeps expired values and penalties', async () => {
    let t = 0;
    const s = new MemoryStore({ now: () => t, sweepIntervalMs: 0 });
    await s.set('a', '1', 10);
    const f = s.friction({
      config: resolveFrictionConfig({
        controller: 'proportional',
        warmupCalls: 0,
        toolConfigs: { x: {} },
      }),
      maxClients: 1,
      penaltyTtlMs: 10,
      penaltyMinFriction: 0.1,
    });
    for (let i = 0; i < 30; i++) await f.step('spammer', 'x', 0, 'check-and-record');
    const ev = await f.step('other', 'x', 0, 'check-and-record');
    expect(ev.events.map((e) => e.type)).toContain('penalty_captured');
    t = 20;
    s.sweep();
    expect(s.size).toBe(0);
    const back = await f.step('spammer', 'x', 20, 'check-and-record');
    expect(back.events.map((e) => e.type)).not.toContain('penalty_restored');
    await s.close();
  });

  it('bounds the penalty table by maxPenalties', async () => {
    const s = new MemoryStore({ maxPenalties: 2, sweepIntervalMs: 0 });
    const f = s.friction({
      config: resolveFrictionConfig({
        controller: 'proportional',
        warmupCalls: 0,
        toolConfigs: { x: {} },
      }),
      maxClients: 1,
      penaltyTtlMs: 60_000,
      penaltyMinFriction: 0.01,
    });
    for (const key of ['a', 'b', 'c', 'd']) {
      for (let i = 0; i < 10; i++) await f.step(key, 'x', 0, 'check-and-record');
    }
    const restoredA = await f.step('a', 'x', 0, 'record');
    expect(restoredA.events.map((e) => e.type)).not.toContain('penalty_restored');
    const restoredC = await f.step('c', 'x', 0, 'record');
    expect(restoredC.events.map((e) => e.type)).toContain('penalty_restored');
    await s.close();
  });

  it.each([
    [{ maxEntries: 0 }, 'ERR_INVALID_ARG_VALUE', 'maxEntries'],
    [{ maxPenalties: 1.5 }, 'ERR_INVALID_ARG_VALUE', 'maxPenalties'],
    [{ sweepIntervalMs: '1' }, 'ERR_INVALID_ARG_TYPE', 'sweepIntervalMs'],
    [{ now: 1 }, 'ERR_INVALID_ARG_TYPE', 'now'],
  ])('rejects %o', (options, code, name) => {
    expect(() => new MemoryStore(options as never)).toThrow(name);
    expect(() => new MemoryStore(options as never)).toThrow(expect.objectContaining({ code }));
  });
});
