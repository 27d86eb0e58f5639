import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedIntrospection, IntrospectionCache } from '../../src/verify/cache.js';
import {
  MAX_AUDIENCES,
  MAX_CLAIM_ARRAY_LENGTH,
  MAX_SCOPES,
} from '../../src/verify/introspection/claims.js';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

// Issue 20, class 1: an active token whose introspection response carries a 16 000-element
// `aud` cost ~89 ms of CPU on every request (the rejected verdict was cached as "active" and
// judged again on each hit, with a thrown `new URL` per element). Now the judgement is made
// once and cached; oversize claims are refused; a hit costs the same whatever the AS returned.

const RESOURCE = 'https://mcp.example.com/mcp';
const T0 = 1_800_000_000_000;

let fake: FaultyServer;
const verifiers: IntrospectionTokenVerifier[] = [];

beforeAll(async () => {
  fake = await startFaultyServer();
});

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await fake.close();
});

function verifier(options: Partial<IntrospectionTokenVerifierOptions> = {}) {
  const v = new IntrospectionTokenVerifier({
    introspectionEndpoint: `${fake.url}/introspect`,
    serverUrl: RESOURCE,
    logger: captureLogger(),
    ...options,
  });
  verifiers.push(v);
  return v;
}

function answer(body: Record<string, unknown>): void {
  fake.handle((_req, res) => json(res, 200, body));
}

async function codeOf(v: IntrospectionTokenVerifier, token: string): Promise<string | undefined> {
  return v.verifyAccessToken(token).then(
    () => undefined,
    (err: { code?: string }) => err.code,
  );
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

describe('issue 20 (1): a verdict is judged once', () => {
  it('16 000-element aud under 64 KB: refused once, every later request O(1)', async () => {
    const aud = Array.from({ length: 16_000 }, (_, i) => String.fromCharCode(97 + (i % 26)));
    answer({ active: true, client_id: 'c', scope: 'read', aud });
    const v = verifier();
    const before = fake.count;
    expect(await codeOf(v, 'tok-huge-aud')).toBe('ERR_TOKEN_INACTIVE');
    const started = cpuMs();
    for (let i = 0; i < 200; i++)
      expect(await codeOf(v, 'tok-huge-aud')).toBe('ERR_TOKEN_INACTIVE');
    // Before the fix: ~90–140 ms per request, i.e. ≥ 18 s for 200. Generous bound for CI noise.
    expect(cpuMs() - started).toBeLessThan(2000);
    expect(fake.count - before).toBe(1);
  });

  it('a wrong-audience verdict is cached as a rejection, never past exp', async () => {
    let now = T0;
    answer({ active: true, aud: 'https://other.example/mcp', exp: T0 / 1000 + 30 });
    const v = verifier({ now: () => now });
    const before = fake.count;
    for (let i = 0; i < 10; i++)
      expect(await codeOf(v, 'tok-other-aud')).toBe('ERR_TOKEN_AUDIENCE');
    expect(fake.count - before).toBe(1);
    now = T0 + 30_000;
    expect(await codeOf(v, 'tok-other-aud')).toBe('ERR_TOKEN_AUDIENCE');
    expect(fake.count - before).toBe(2);
  });

  it('an accepted verdict is re-checked against the clock only (exp, nbf)', async () => {
    let now = T0;
    answer({ active: true, aud: RESOURCE, scope: 'read', nbf: T0 / 1000, exp: T0 / 1000 + 10 });
    const v = verifier({ now: () => now });
    const a = await v.verifyToken('tok-clock');
    expect(a?.scopes).toEqual(['read']);
    expect(await v.verifyToken('tok-clock')).toBe(a);
    now = T0 + 10_000;
    expect(await codeOf(v, 'tok-clock')).toBe('ERR_TOKEN_EXPIRED');
    now = T0 - 1000;
    expect(await codeOf(v, 'tok-clock')).toBe('ERR_TOKEN_INACTIVE');
  });

  it.each([
    [
      'aud',
      { aud: [RESOURCE, ...Array(MAX_AUDIENCES - 1).fill('x')] },
      { aud: [RESOURCE, ...Array(MAX_AUDIENCES).fill('x')] },
    ],
    [
      'scope string',
      { aud: RESOURCE, scope: Array(MAX_SCOPES).fill('s').join(' ') },
      {
        aud: RESOURCE,
        scope: Array(MAX_SCOPES + 1)
          .fill('s')
          .join('  '),
      },
    ],
    [
      'scope array',
      { aud: RESOURCE, scope: Array(MAX_SCOPES).fill('s') },
      { aud: RESOURCE, scope: Array(MAX_SCOPES + 1).fill('s') },
    ],
    [
      'any array',
      { aud: RESOURCE, groups: Array(MAX_CLAIM_ARRAY_LENGTH).fill(1) },
      { aud: RESOURCE, groups: Array(MAX_CLAIM_ARRAY_LENGTH + 1).fill(1) },
    ],
  ])(
    'bounds on %s: at the bound accepted, one over refused as an invalid token',
    async (_name, at, over) => {
      const v = verifier();
      answer({ active: true, ...at });
      expect(await codeOf(v, `tok-at-${_name.length}`)).toBeUndefined();
      answer({ active: true, ...over });
      expect(await codeOf(v, `tok-over-${_name.length}`)).toBe('ERR_TOKEN_INACTIVE');
    },
  );

  it('a store keeps the judgement, and a rejection keeps none of the claims', async () => {
    const map = new Map<string, CachedIntrospection>();
    const store: IntrospectionCache = {
      get: (key) => map.get(key),
      set: (key, value) => void map.set(key, value),
      delete: (key) => void map.delete(key),
    };
    answer({ active: true, aud: 'https://other.example/', secret_claim: 'x' });
    const v = verifier({ cache: { store } });
    expect(await codeOf(v, 'tok-stored')).toBe('ERR_TOKEN_AUDIENCE');
    const [entry] = [...map.values()];
    expect(entry?.claims).toEqual({});
    expect(entry?.verdict).toEqual({ ok: false, code: 'ERR_TOKEN_AUDIENCE', reason: 'audience' });
    // An entry without a verdict (older writer) is judged once on read.
    const key = [...map.keys()][0]!;
    map.set(key, {
      claims: { active: true, aud: RESOURCE, scope: 'a b' },
      cachedUntilMs: Date.now() + 60_000,
    });
    const second = verifier({ cache: { store } });
    expect((await second.verifyToken('tok-stored'))?.scopes).toEqual(['a', 'b']);
  });

  it('normal traffic is unchanged: an active token for this resource is accepted and cached', async () => {
    answer({
      active: true,
      aud: [RESOURCE],
      scope: 'read write',
      client_id: 'app',
      sub: 'u1',
      iss: 'https://as',
    });
    const v = verifier();
    const before = fake.count;
    const info = await v.verifyAccessToken('tok-normal');
    expect(info).toMatchObject({
      clientId: 'app',
      scopes: ['read', 'write'],
      extra: { subject: 'u1' },
    });
    expect(info.resource?.href).toBe(RESOURCE);
    await v.verifyAccessToken('tok-normal');
    expect(fake.count - before).toBe(1);
  });

  it('without validateResource, a non-URL audience is reported without a URL resource', async () => {
    answer({ active: true, aud: 'not a url' });
    const v = verifier({ validateResource: false });
    const info = await v.verifyAccessToken('tok-urn');
    expect(info.resource).toBeUndefined();
    expect((await v.verifyToken('tok-urn'))?.resource).toBe('not a url');
  });
});
