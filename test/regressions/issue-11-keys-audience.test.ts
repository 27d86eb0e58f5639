/**
 * Issue 11 §5 and §7 through the three real gate adapters and the SDK's real transport, with JWT
 * access tokens whose claims we control (loopback key server):
 * - §5 friction keys: tokens without `client_id` are charged to their `sub`, else to a hash of
 *   the token; one such tenant blocked never blocks another; `keyBy: 'subject'` without `sub` is
 *   not unlimited.
 * - §7 audience: an `aud` with userinfo, dot segments, a query, a fragment or another trick never
 *   matches `serverUrl`; the tool never runs.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import {
  type KeyServer,
  makeKey,
  SERVER_URL,
  sign,
  silentLogger,
  startKeyServer,
  type TestKey,
} from '../verify/_jwt-fixtures.js';
import { ADAPTERS, call, type Harness, startHarness } from './_gate-harness.js';

const ISSUER = 'https://issuer.example.com';
let keys: KeyServer;
let key: TestKey;
let verifier: JwtTokenVerifier;

beforeAll(async () => {
  keys = await startKeyServer();
  key = await makeKey('k1');
  keys.keys = [key];
  // Tokens are signed for NOW_MS; the verifier's clock is that instant too.
  verifier = new JwtTokenVerifier({
    issuer: ISSUER,
    jwksUri: keys.jwksUri,
    serverUrl: SERVER_URL,
    allowLocalhost: true,
    now: () => 1_900_000_000_000,
    logger: silentLogger,
  });
});

afterAll(async () => {
  await verifier.close();
  await keys.close();
});

/** A read+write token without `client_id`; `claims` adds or removes (`undefined`) claims. */
function token(claims: Record<string, unknown>): Promise<string> {
  return sign(key, { iss: ISSUER, client_id: undefined, scope: 'read write', ...claims });
}

const CEILING = 3;

function registry(): FrictionRegistry {
  return new FrictionRegistry({
    toolConfigs: {
      delete_task: { targetRate: 1, ceiling: { limit: CEILING, windowMs: 3_600_000 } },
    },
    logger: silentLogger,
  });
}

describe.each(ADAPTERS)('friction keys without client_id through the %s adapter', (adapter) => {
  let harness: Harness;
  let subjectHarness: Harness;
  const registries: FrictionRegistry[] = [];

  beforeAll(async () => {
    registries.push(registry(), registry());
    harness = await startHarness({ verifier, serverUrl: SERVER_URL, registry: registries[0] });
    subjectHarness = await startHarness({
      verifier,
      serverUrl: SERVER_URL,
      registry: registries[1],
      keyBy: 'subject',
    });
  });

  afterAll(async () => {
    await harness.close();
    await subjectHarness.close();
    for (const r of registries) await r.close();
  });

  /** Calls delete_task until refused; returns how many ran. */
  async function spend(h: Harness, bearer: string, tries = CEILING + 2): Promise<number> {
    let ran = 0;
    for (let i = 0; i < tries; i++) {
      const before = h.runs.get('delete_task') ?? 0;
      const res = await h.send(adapter, bearer, call('delete_task', {}, i));
      expect(res.status).toBe(200);
      const now = h.runs.get('delete_task') ?? 0;
      if (now === before) expect(res.text).toContain('rate-limited');
      ran += now - before;
    }
    return ran;
  }

  it('a blocked subject does not block another subject, nor a token without sub', async () => {
    const alice = await token({ sub: `alice-${adapter}` });
    const bob = await token({ sub: `bob-${adapter}` });
    const empty = await token({ sub: `carol-${adapter}`, client_id: '' });
    const anonymous = await token({ jti: `anon-${adapter}` });
    expect(await spend(harness, alice)).toBe(CEILING);
    expect(await spend(harness, alice, 2)).toBe(0); // still blocked, the tool never ran
    expect(await spend(harness, bob)).toBe(CEILING);
    expect(await spend(harness, empty)).toBe(CEILING);
    expect(await spend(harness, anonymous)).toBe(CEILING);
  });

  it('tokens without sub are keyed by their hash: one blocked, another still runs', async () => {
    const first = await token({ jti: `first-${adapter}` });
    const second = await token({ jti: `second-${adapter}` });
    expect(await spend(harness, first)).toBe(CEILING);
    expect(await spend(harness, second, 1)).toBe(1);
  });

  it("keyBy 'subject' without sub is never unlimited", async () => {
    const nameless = await token({ jti: `nameless-${adapter}` });
    expect(await spend(subjectHarness, nameless, CEILING + 3)).toBe(CEILING);
    const withClient = await token({ jti: `client-${adapter}`, client_id: `app-${adapter}` });
    expect(await spend(subjectHarness, withClient, CEILING + 1)).toBe(CEILING);
  });
});

const HOST = new URL(SERVER_URL).host;
/** `aud` values that must never match `serverUrl` (https://mcp.example.com/mcp). */
const BAD_AUDIENCES: readonly [string, unknown][] = [
  ['userinfo', `https://user@${HOST}/mcp`],
  ['userinfo with password', `https://user:pw@${HOST}/mcp`],
  ['host as userinfo', `https://${HOST}@evil.example/mcp`],
  ['dot segments', `https://${HOST}/other/../mcp`],
  ['single dot segment', `https://${HOST}/./mcp`],
  ['encoded dot segments', `https://${HOST}/x/%2e%2e/mcp`],
  ['encoded upper-case dots', `https://${HOST}/x/%2E%2E/mcp`],
  ['query', `https://${HOST}/mcp?tenant=a`],
  ['empty query', `https://${HOST}/mcp?`],
  ['fragment', `https://${HOST}/mcp#x`],
  ['empty fragment', `https://${HOST}/mcp#`],
  ['backslash path', `https://${HOST}\\mcp`],
  ['suffix host', `https://${HOST}.evil.example/mcp`],
  ['other scheme', `http://${HOST}/mcp`],
  ['other port', `https://${HOST}:8443/mcp`],
  ['path prefix only', `https://${HOST}/mcp-admin`],
  ['array of bad values', [`https://user@${HOST}/mcp`, `https://${HOST}/mcp#x`]],
  ['not a string', 42],
];

describe.each(ADAPTERS)('audience matching through the %s adapter', (adapter) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ verifier, serverUrl: SERVER_URL });
  });

  afterAll(async () => harness.close());

  it('control: the exact serverUrl (and it among others) is accepted', async () => {
    for (const aud of [SERVER_URL, ['https://other.example', SERVER_URL]]) {
      const res = await harness.send(adapter, await token({ aud }), call('read_notes'));
      expect(res.status).toBe(200);
      expect(res.text).toContain('read_notes ran');
    }
  });

  it.each(BAD_AUDIENCES)('%s: 401, the tool never runs', async (_name, aud) => {
    const before = harness.runs.get('read_notes') ?? 0;
    const res = await harness.send(adapter, await token({ aud }), call('read_notes'));
    expect(res.status).toBe(401);
    expect(harness.runs.get('read_notes') ?? 0).toBe(before);
  });
});
