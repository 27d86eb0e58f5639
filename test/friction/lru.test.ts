import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/friction/lru.js';

/**
 * `LruMap` keeps the order the memory store's `Map` had when every use was `delete` + `set`:
 * the same entry is evicted first after any sequence of uses, additions and evictions.
 */

const opArb = fc.oneof(
  fc.record({ op: fc.constant('use' as const), key: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('add' as const), key: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('peek' as const), key: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('shift' as const) }),
  fc.record({ op: fc.constant('clear' as const) }),
);

function drain<V>(lru: LruMap<V>): [string, V][] {
  const out: [string, V][] = [];
  for (let e = lru.shift(); e !== undefined; e = lru.shift()) out.push(e);
  return out;
}

describe('LruMap', () => {
  it('evicts in the order of a Map moved to the back on every use', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const lru = new LruMap<number>();
        const ref = new Map<string, number>();
        let n = 0;
        for (const o of ops) {
          if (o.op === 'use' || o.op === 'peek') {
            const key = `k${o.key}`;
            const value = ref.get(key);
            if (o.op === 'use' && value !== undefined) {
              ref.delete(key);
              ref.set(key, value);
            }
            expect(o.op === 'use' ? lru.use(key) : lru.peek(key)).toBe(value);
          } else if (o.op === 'add') {
            const key = `k${o.key}`;
            if (ref.has(key)) continue;
            ref.set(key, ++n);
            lru.add(key, n);
          } else if (o.op === 'shift') {
            const first = ref.entries().next().value;
            if (first !== undefined) ref.delete(first[0]);
            expect(lru.shift()).toEqual(first);
          } else {
            ref.clear();
            lru.clear();
          }
          expect(lru.size).toBe(ref.size);
        }
        expect(drain(lru)).toEqual([...ref]);
        expect(lru.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('moves a used entry behind every other one', () => {
    const lru = new LruMap<string>();
    for (const k of ['a', 'b', 'c', 'd']) lru.add(k, k.toUpperCase());
    expect(lru.use('a')).toBe('A');
    expect(lru.use('c')).toBe('C');
    expect(lru.use('c')).toBe('C');
    expect(lru.peek('b')).toBe('B');
    expect(lru.use('zz')).toBeUndefined();
    expect(drain(lru).map(([k]) => k)).toEqual(['b', 'd', 'a', 'c']);
    expect(lru.shift()).toBeUndefined();
  });
});
