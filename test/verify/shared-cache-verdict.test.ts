import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { createSharedIntrospectionCache } from '../../src/verify/redis-cache.js';

// Issue 20, class 1: the shared cache carries the verifier's judgement; what it reads back from
// the store is checked, and anything malformed is ignored (judged again) or a miss.

function mapStore(): Store & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (key: string) => map.get(key),
    set: async (key: string, value: string) => void map.set(key, value),
    delete: async (key: string) => void map.delete(key),
  } as unknown as Store & { map: Map<string, string> };
}

const UNTIL = Date.now() + 60_000;
const ACCEPTED = { ok: true, clientId: 'c', scopes: ['read'], exp: 2e9, resource: 'https://h/' };
const REJECTED = { ok: false, code: 'ERR_TOKEN_AUDIENCE', reason: 'audience' };

describe('shared introspection cache: stored verdicts', () => {
  it.each([
    [
      'accepted verdict',
      { claims: { active: true }, cachedUntilMs: UNTIL, verdict: ACCEPTED },
      'verdict',
    ],
    [
      'rejection without claims',
      { claims: {}, cachedUntilMs: UNTIL, verdict: REJECTED },
      'verdict',
    ],
    ['no verdict (older writer)', { claims: { active: true }, cachedUntilMs: UNTIL }, 'claims'],
    [
      'malformed verdict is dropped',
      { claims: { active: true }, cachedUntilMs: UNTIL, verdict: { ok: true, clientId: 1 } },
      'claims',
    ],
    [
      'unknown rejection code is dropped',
      {
        claims: { active: true },
        cachedUntilMs: UNTIL,
        verdict: { ok: false, code: 'X', reason: 'r' },
      },
      'claims',
    ],
    [
      'verdict that is not an object',
      { claims: { active: true }, cachedUntilMs: UNTIL, verdict: 'ok' },
      'claims',
    ],
    [
      'too many scopes is dropped',
      {
        claims: { active: true },
        cachedUntilMs: UNTIL,
        verdict: { ...ACCEPTED, scopes: Array(257).fill('s') },
      },
      'claims',
    ],
    [
      'non-string scope is dropped',
      { claims: { active: true }, cachedUntilMs: UNTIL, verdict: { ...ACCEPTED, scopes: [1] } },
      'claims',
    ],
    [
      'rejection for an inactive body needs a valid verdict',
      { claims: {}, cachedUntilMs: UNTIL, verdict: { ok: false } },
      'miss',
    ],
    ['claims not an object', { claims: [], cachedUntilMs: UNTIL, verdict: REJECTED }, 'miss'],
    ['no cachedUntilMs', { claims: { active: true }, verdict: ACCEPTED }, 'miss'],
  ])('%s', async (_name, stored, expected) => {
    const store = mapStore();
    store.map.set('introspection:k', JSON.stringify(stored));
    const cache = createSharedIntrospectionCache({ store, localTtlMs: 0 });
    const entry = await cache.get('k');
    if (expected === 'miss') expect(entry).toBeUndefined();
    else if (expected === 'claims')
      expect(entry).toEqual({ claims: stored.claims, cachedUntilMs: UNTIL });
    else expect(entry).toEqual(stored);
  });
});
