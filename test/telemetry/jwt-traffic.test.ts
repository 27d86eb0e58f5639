/**
 * DESIGN §6.4 for JWT access tokens: real traffic through the `node:http` gate with a
 * `JwtTokenVerifier` whose keys come from a loopback key server, and an OpenTelemetry SDK
 * registered globally. Exact verification counts (method `jwt`, result, cache), JWKS fetch counts
 * and spans for real round trips only, and a scan of everything exported for secrets.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerAuth } from '../../src/node.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import {
  clock,
  type KeyServer,
  makeKey,
  NOW_MS,
  sign,
  silentLogger,
  startKeyServer,
  type TestKey,
} from '../verify/_jwt-fixtures.js';
import { counts, registerTestSdk, type TestSdk } from './_otel.js';

const ISSUER = 'https://issuer.example.com';
const CLIENT_ID = 'jwt-client-id-secretish-77';

let keys: KeyServer;
let server: Server;
let base: string;
let sdk: TestSdk;
let k1: TestKey;
let verifier: JwtTokenVerifier;
const time = clock(NOW_MS);
const serverSpanIds: string[] = [];

beforeAll(async () => {
  sdk = registerTestSdk();
  keys = await startKeyServer();
  k1 = await makeKey('k1');
  keys.keys = [k1];
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  verifier = new JwtTokenVerifier({
    issuer: ISSUER,
    jwksUri: keys.jwksUri,
    serverUrl: `${base}/mcp`,
    allowLocalhost: true,
    now: time.now,
    logger: silentLogger,
  });
  const gate = requireBearerAuth({ verifier, requiredScopes: ['read'] });
  server.on('request', (req, res) => {
    void trace
      .getTracer('test-http')
      .startActiveSpan('GET /mcp', { kind: SpanKind.SERVER }, async (span) => {
        serverSpanIds.push(span.spanContext().spanId);
        const passed = await gate(req, res);
        if (passed !== undefined) res.writeHead(200).end('ok');
        span.end();
      });
  });
});

afterAll(async () => {
  await sdk.shutdown();
  await verifier.close();
  server.closeAllConnections();
  server.close();
  await keys.close();
});

async function call(token: string): Promise<number> {
  const res = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

function claims() {
  return { iss: ISSUER, aud: `${base}/mcp`, client_id: CLIENT_ID, scope: 'read' };
}

describe('JWT telemetry through the gate (loopback key server)', () => {
  const tokens: string[] = [];

  it('counts verifications by result and cache, and JWKS fetches by result', async () => {
    const valid = await sign(k1, claims());
    const forger = await makeKey('k1');
    const forged = await sign(forger, claims()); // known kid, wrong key: no refetch
    const unknownKid = await sign(await makeKey('k9'), claims());
    tokens.push(valid, forged, unknownKid);

    expect(await call(valid)).toBe(200); // miss, first JWKS fetch
    expect(await call(valid)).toBe(200); // verdict cache hit
    expect(await call(forged)).toBe(401); // miss, inactive
    expect(await call('abc.def')).toBe(401); // not a JWS: inactive
    time.advance(60_000); // past the refetch cooldown
    keys.override = { status: 500, body: 'down' };
    expect(await call(unknownKid)).toBe(503); // refetch fails: error
    keys.override = undefined;
    time.advance(60_000);
    expect(await call(unknownKid)).toBe(401); // refetch ok, still unknown: inactive

    expect(keys.count('/jwks')).toBe(3);
    const m = await sdk.metrics();
    const c = 'mcp_authflow.cache.result';
    const r = 'mcp_authflow.verification.method=jwt,mcp_authflow.verification.result';
    expect(counts(m.get('mcp_authflow.token.verifications'))).toEqual({
      [`${c}=miss,${r}=active`]: 1,
      [`${c}=hit,${r}=active`]: 1,
      [`${c}=miss,${r}=inactive`]: 3,
      [`${c}=miss,${r}=error`]: 1,
    });
    expect(counts(m.get('mcp_authflow.jwks.fetches'))).toEqual({
      'mcp_authflow.jwks.result=ok': 2,
      'mcp_authflow.jwks.result=error': 1,
    });
    expect(m.get('mcp_authflow.jwks.fetches')?.descriptor.unit).toBe('{fetch}');
    expect(counts(m.get('mcp_authflow.auth.requests'))).toEqual({
      'mcp_authflow.auth.outcome=allowed': 2,
      'mcp_authflow.auth.outcome=invalid_token': 3,
      'mcp_authflow.auth.outcome=unavailable': 1,
    });
    expect(m.has('mcp_authflow.introspection.duration')).toBe(false);
  });

  it('opens one CLIENT span per real JWKS round trip, ERROR with error.type on failure', () => {
    const spans = sdk.finished().filter((s) => s.name === 'mcp_authflow.jwks.fetch');
    expect(spans).toHaveLength(3); // the cached key set and the verdict cache made no round trip
    for (const s of spans) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.instrumentationScope.name).toBe('mcp-authflow-resource');
      expect(serverSpanIds).toContain(s.parentSpanContext?.spanId);
    }
    const failed = spans.filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attributes['error.type']).toBe('ERR_METADATA_UNAVAILABLE');
    expect(sdk.finished().some((s) => s.name === 'mcp_authflow.introspect')).toBe(false);
  });

  it('counts cache: false as a miss, and a malformed key set as a failed fetch', async () => {
    const bare = new JwtTokenVerifier({
      issuer: ISSUER,
      jwksUri: keys.jwksUri,
      serverUrl: `${base}/mcp`,
      allowLocalhost: true,
      cache: false,
      now: time.now,
      logger: silentLogger,
    });
    const before = counts((await sdk.metrics()).get('mcp_authflow.jwks.fetches'));
    try {
      keys.override = { status: 200, body: '{"keys":"none"}' };
      const token = await sign(k1, claims());
      tokens.push(token);
      expect(await bare.verifyToken(token)).toBeNull();
      keys.override = undefined;
      time.advance(60_000);
      expect(await bare.verifyToken(token)).not.toBeNull();
      expect(await bare.verifyToken(token)).not.toBeNull();
    } finally {
      keys.override = undefined;
      await bare.close();
    }
    const m = await sdk.metrics();
    const c = 'mcp_authflow.cache.result';
    const r = 'mcp_authflow.verification.method=jwt,mcp_authflow.verification.result';
    expect(counts(m.get('mcp_authflow.token.verifications'))).toMatchObject({
      [`${c}=miss,${r}=active`]: 3,
      [`${c}=hit,${r}=active`]: 1,
      [`${c}=miss,${r}=error`]: 2,
    });
    const after = counts(m.get('mcp_authflow.jwks.fetches'));
    expect(after['mcp_authflow.jwks.result=error']).toBe(
      (before['mcp_authflow.jwks.result=error'] ?? 0) + 1,
    );
    expect(after['mcp_authflow.jwks.result=ok']).toBe(
      (before['mcp_authflow.jwks.result=ok'] ?? 0) + 1,
    );
  });

  it('exports no token, key id or client id in any attribute, name or status', async () => {
    const m = await sdk.metrics();
    const exported = JSON.stringify({
      metrics: [...m.values()].map((x) => ({ d: x.descriptor, p: x.dataPoints })),
      spans: sdk.finished().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
      })),
    });
    expect(exported).toContain('mcp_authflow.jwks.fetch');
    for (const secret of [...tokens, CLIENT_ID, keys.jwksUri, ISSUER]) {
      expect(exported).not.toContain(secret);
    }
  });
});
