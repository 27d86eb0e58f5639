/** Issue 11 §8: bounded staleness, back-off after failures, the failure cached briefly. */
import { describe, expect, it } from 'vitest';
import { createAuthorizationServerMetadataSource } from '../../src/discovery/authorization-server.js';
import type { SafeHttpClient } from '../../src/ssrf/types.js';

const ISSUER = 'https://as.example.com';
const DOC = new TextEncoder().encode(JSON.stringify({ issuer: ISSUER }));

function setup(options: { maxStaleMs?: number; failureBackoffMs?: number } = {}) {
  let t = 0;
  let up = true;
  let fetches = 0;
  const httpClient = {
    async request() {
      fetches += 1;
      if (!up) throw new Error('connect ECONNREFUSED');
      return { status: 200, headers: {}, body: DOC };
    },
  } as unknown as SafeHttpClient;
  const source = createAuthorizationServerMetadataSource({
    issuer: ISSUER,
    httpClient,
    ttlMs: 1_000,
    now: () => t,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...options,
  });
  return {
    source,
    at: (ms: number) => (t = ms),
    down: (v: boolean) => (up = !v),
    fetches: () => fetches,
  };
}

describe('authorization server metadata: failures', () => {
  it('with nothing cached, a failure is cached for the back-off, which doubles', async () => {
    const s = setup({ failureBackoffMs: 100 });
    s.down(true);
    await expect(s.source.get()).rejects.toMatchObject({ code: 'ERR_METADATA_UNAVAILABLE' });
    await expect(s.source.get()).rejects.toMatchObject({ code: 'ERR_METADATA_UNAVAILABLE' });
    expect(s.fetches()).toBe(1);
    s.at(100);
    await expect(s.source.get()).rejects.toThrow();
    expect(s.fetches()).toBe(2);
    s.at(250);
    await s.source.get().catch(() => {});
    expect(s.fetches()).toBe(2);
    s.at(300);
    s.down(false);
    await expect(s.source.get()).resolves.toMatchObject({ document: { issuer: ISSUER } });
    expect(s.fetches()).toBe(3);
  });

  it('a stale copy is served for at most maxStaleMs past its TTL', async () => {
    const s = setup({ maxStaleMs: 5_000, failureBackoffMs: 10 });
    await s.source.get();
    s.down(true);
    s.at(3_000);
    await expect(s.source.get()).resolves.toMatchObject({ document: { issuer: ISSUER } });
    s.at(5_999);
    await expect(s.source.get()).resolves.toMatchObject({ document: { issuer: ISSUER } });
    s.at(6_000);
    await expect(s.source.get()).rejects.toMatchObject({ code: 'ERR_METADATA_UNAVAILABLE' });
    await expect(s.source.get()).rejects.toMatchObject({ code: 'ERR_METADATA_UNAVAILABLE' });
  });
});
