import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, SingleFlight } from '../../src/lib/cache-flight.js';
import { introspectionCacheKey, introspectionCacheKeyer } from '../../src/lib/hash-key.js';
import { createMemoryIntrospectionCache } from '../../src/verify/cache.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one promise per key and forgets it when settled (failures too)', async () => {
    const flights = new SingleFlight<number>();
    const d = deferred<number>();
    let calls = 0;
    const run = () =>
      flights.run('k', () => {
        calls += 1;
        return d.promise;
      });
    const a = run();
    const b = run();
    expect(a).toBe(b);
    expect(flights.size).toBe(1);
    d.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    expect(flights.size).toBe(0);
    await expect(flights.run('k', async () => 7)).resolves.toBe(7);
    expect(calls).toBe(1);
  });
});

describe('ConcurrencyLimiter', () => {
  it('caps running tasks, queues FIFO, refuses beyond the queue', async () => {
    const limiter = new ConcurrencyLimiter(2, 1);
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const order: number[] = [];
    const task = (i: number) => async () => {
      order.push(i);
      await gates[i]!.promise;
      return i;
    };
    const full = () => new Error('full');
    const p0 = limiter.run(task(0), full);
    const p1 = limiter.run(task(1), full);
    const p2 = limiter.run(task(2), full);
    await expect(limiter.run(task(0), full)).rejects.toThrow('full');
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(1);
    expect(order).toEqual([0, 1]);
    gates[0]!.resolve();
    await p0;
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.reject(new Error('task failed'));
    await expect(p2).rejects.toThrow('task failed');
    await expect(p1).resolves.toBe(1);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });
});

describe('introspectionCacheKey', () => {
  it('is a SHA-256 hex digest that separates every field unambiguously', () => {
    const key = introspectionCacheKey('https://as/i', 'rs', 'https://r/', 'tok');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      introspectionCacheKey('https://as/i', 'rs', 'https://r/', 'tok'),
      introspectionCacheKey('https://as/i2', 'rs', 'https://r/', 'tok'),
      introspectionCacheKey('https://as/i', 'rs2', 'https://r/', 'tok'),
      introspectionCacheKey('https://as/i', undefined, 'https://r/', 'tok'),
      introspectionCacheKey('https://as/i', 'rs', 'https://r2/', 'tok'),
      introspectionCacheKey('https://as/i', 'rs', undefined, 'tok'),
      introspectionCacheKey('https://as/i', 'rs', 'https://r/', 'tok2'),
      introspectionCacheKey('https://as/i', 'r', 's","https://r/', 'tok'),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });
});

describe('introspectionCacheKeyer', () => {
  const b64token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]+=*$/);
  const field = fc.option(fc.string({ unit: 'binary' }), { nil: undefined });

  it('gives the key of introspectionCacheKey for every b64token and every tuple', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), field, field, b64token, (e, c, r, token) => {
        expect(introspectionCacheKeyer(e, c, r)(token)).toBe(introspectionCacheKey(e, c, r, token));
      }),
    );
  });

  it('gives different tokens different keys, whatever they hold', () => {
    const key = introspectionCacheKeyer('https://as/i', 'rs', 'https://r/');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        fc.pre(a !== b);
        expect(key(a)).not.toBe(key(b));
      }),
    );
    expect(key('tok')).not.toContain('tok');
  });
});

describe('createMemoryIntrospectionCache', () => {
  it('expires entries against the injected clock and stays bounded', () => {
    let now = 1000;
    const cache = createMemoryIntrospectionCache({ maxEntries: 2, now: () => now });
    const value = { claims: { active: true }, cachedUntilMs: 5000 };
    cache.set('a', value, 100);
    expect(cache.get('a')).toBe(value);
    now = 1100;
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', value, 1000);
    cache.set('b', value, 1000);
    cache.set('c', value, 1000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(value);
    cache.delete('c');
    expect(cache.get('c')).toBeUndefined();
  });
});
