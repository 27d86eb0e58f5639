import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { describe, expect, it } from 'vitest';
import { boundThumbprint, checkBinding, DpopBindingError } from '../../../src/http/dpop/binding.js';
import { DpopProofError } from '../../../src/http/dpop/errors.js';
import { createNonceSource } from '../../../src/http/dpop/nonce.js';
import { resolveDpopOptions } from '../../../src/http/dpop/options.js';
import { createMemoryReplayStore } from '../../../src/http/dpop/replay.js';

describe('DPoP nonces (RFC 9449 §8)', () => {
  it('rotates per window, accepts the current and previous window only', () => {
    let t = 1_000_000;
    const source = createNonceSource('s'.repeat(32), 1000, () => t);
    const first = source.current();
    expect(source.accepts(first)).toBe(true);
    t += 1000;
    const second = source.current();
    expect(second).not.toBe(first);
    expect(source.accepts(first)).toBe(true);
    t += 1000;
    expect(source.accepts(first)).toBe(false);
    expect(source.accepts(second)).toBe(true);
  });

  it('replicas sharing the secret accept each other; another secret does not', () => {
    const t = () => 5_000_000;
    const a = createNonceSource('shared-secret-0123456789', 60_000, t);
    const b = createNonceSource(Buffer.from('shared-secret-0123456789'), 60_000, t);
    const c = createNonceSource('another-secret-0123456789', 60_000, t);
    expect(b.accepts(a.current())).toBe(true);
    expect(c.accepts(a.current())).toBe(false);
    const random = createNonceSource(undefined, 60_000, t);
    expect(random.accepts(random.current())).toBe(true);
    expect(a.accepts(random.current())).toBe(false);
  });

  it('refuses garbage, non-canonical encodings, future windows and non-strings', () => {
    let t = 10_000_000;
    const source = createNonceSource('s'.repeat(32), 1000, () => t);
    const nonce = source.current();
    for (const bad of [
      undefined,
      5,
      '',
      'x',
      `${nonce}A`,
      'a'.repeat(100),
      `${nonce.slice(0, -1)}`,
    ]) {
      expect(source.accepts(bad)).toBe(false);
    }
    t -= 2000;
    expect(source.accepts(nonce)).toBe(false);
  });
});

describe('memory replay store', () => {
  it('answers true once per key while it lives, again after ttl', () => {
    let t = 0;
    const store = createMemoryReplayStore({ now: () => t });
    expect(store.setIfAbsent('a', 100)).toBe(true);
    expect(store.setIfAbsent('a', 100)).toBe(false);
    expect(store.setIfAbsent('b', 100)).toBe(true);
    t = 100;
    expect(store.setIfAbsent('a', 100)).toBe(true);
  });

  it('is bounded', () => {
    const store = createMemoryReplayStore({ maxEntries: 2, now: () => 0 });
    store.setIfAbsent('a', 1000);
    store.setIfAbsent('b', 1000);
    store.setIfAbsent('c', 1000);
    expect(store.setIfAbsent('a', 1000)).toBe(true);
    expect(createMemoryReplayStore().setIfAbsent('x', 10)).toBe(true);
  });
});

describe('resolveDpopOptions', () => {
  const now = () => 0;
  it('is off for undefined and false; applies the pinned defaults', () => {
    expect(resolveDpopOptions(undefined, now)).toBeUndefined();
    expect(resolveDpopOptions(false, now)).toBeUndefined();
    const o = resolveDpopOptions({}, now)!;
    expect(o.mode).toBe('allowed');
    expect(o.algorithms).toEqual(['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519']);
    expect(o.proofMaxAgeMs).toBe(60_000);
    expect(o.nonce).toBeUndefined();
    expect(resolveDpopOptions({ nonce: true }, now)!.nonce).toBeDefined();
    expect(resolveDpopOptions({ nonce: false }, now)!.nonce).toBeUndefined();
  });

  it.each([
    [true, /must be false or an object/],
    [[], /must be false or an object/],
    [{ modes: 'required' }, /Unknown "dpop" option\(s\): modes/],
    [{ mode: 'strict' }, /dpop.mode/],
    [{ algorithms: [] }, /dpop.algorithms/],
    [{ algorithms: 'ES256' }, /dpop.algorithms/],
    [{ algorithms: ['HS256'] }, /dpop.algorithms/],
    [{ algorithms: ['none'] }, /dpop.algorithms/],
    [{ proofMaxAgeMs: 0 }, /dpop.proofMaxAgeMs/],
    [{ proofMaxAgeMs: 1.5 }, /dpop.proofMaxAgeMs/],
    [{ replayStore: {} }, /dpop.replayStore/],
    [{ nonce: 'yes' }, /dpop.nonce/],
    [{ nonce: { secret: 'short' } }, /dpop.nonce.secret/],
    [{ nonce: { secret: 5 } }, /dpop.nonce.secret/],
    [{ nonce: { ttlMs: -1 } }, /dpop.nonce.ttlMs/],
  ])('refuses %j', (value, message) => {
    expect(() => resolveDpopOptions(value, now)).toThrow(message);
  });
});

describe('checkBinding (RFC 9449 §7.1)', () => {
  const info = (extra?: Record<string, unknown>): AuthInfo => ({
    token: 't',
    clientId: 'c',
    scopes: [],
    ...(extra ? { extra } : {}),
  });
  const allowed = resolveDpopOptions({}, () => 0)!;
  const required = resolveDpopOptions({ mode: 'required' }, () => 0)!;
  const bound = info({ claims: { cnf: { jkt: 'abc' } } });

  it('reads cnf.jkt from the claims or from extra.cnf', () => {
    expect(boundThumbprint(bound)).toBe('abc');
    expect(boundThumbprint(info({ cnf: { jkt: 'xyz' } }))).toBe('xyz');
    expect(boundThumbprint(info())).toBeUndefined();
    expect(boundThumbprint(info({ claims: { cnf: { jkt: '' } } }))).toBeUndefined();
    expect(boundThumbprint(info({ claims: { cnf: ['jkt'] } }))).toBeUndefined();
  });

  it('Bearer: unbound passes when allowed; bound never; nothing unbound when required', () => {
    expect(() => checkBinding(allowed, 'bearer', undefined, info())).not.toThrow();
    expect(() => checkBinding(allowed, 'bearer', undefined, bound)).toThrow(DpopBindingError);
    expect(() => checkBinding(required, 'bearer', undefined, info())).toThrow(DpopBindingError);
  });

  it('DPoP: the token must be bound to the proof key', () => {
    expect(() => checkBinding(allowed, 'dpop', 'abc', bound)).not.toThrow();
    expect(() => checkBinding(allowed, 'dpop', 'abc', info())).toThrow(DpopBindingError);
    expect(() => checkBinding(allowed, 'dpop', 'other', bound)).toThrow(DpopProofError);
  });
});

describe('protected resource metadata advertises DPoP (RFC 9728 §2)', () => {
  const base = {
    serverUrl: 'https://mcp.example.com/mcp',
    authServerPublicUrl: 'https://as.example.com',
  };
  it('adds the two fields only when configured', async () => {
    const { buildProtectedResourceMetadata } = await import(
      '../../../src/discovery/protected-resource.js'
    );
    expect(buildProtectedResourceMetadata(base)).not.toHaveProperty(
      'dpop_signing_alg_values_supported',
    );
    expect(buildProtectedResourceMetadata({ ...base, dpop: {} })).toMatchObject({
      dpop_signing_alg_values_supported: ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519'],
      dpop_bound_access_tokens_required: false,
    });
    expect(
      buildProtectedResourceMetadata({ ...base, dpop: { algorithms: ['ES256'], required: true } }),
    ).toMatchObject({
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: true,
    });
    expect(() => buildProtectedResourceMetadata({ ...base, dpop: 'yes' as never })).toThrow(
      /"dpop"/,
    );
    expect(() =>
      buildProtectedResourceMetadata({ ...base, dpop: { required: 'yes' as never } }),
    ).toThrow(/dpop.required/);
    expect(() =>
      buildProtectedResourceMetadata({ ...base, dpop: { algorithms: ['HS256'] } }),
    ).toThrow(/dpop.algorithms/);
  });
});
