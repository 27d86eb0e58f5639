/**
 * DESIGN §6.4 end to end: real traffic through the `node:http` gate in front of the real
 * oidc-provider, with an OpenTelemetry SDK registered globally AFTER the library was imported
 * and after a first request (instruments are created lazily). Exact counts per attribute set,
 * span shapes and parents, and a scan of everything exported for tokens, secrets and client ids.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { requireBearerAuth } from '../../src/node.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { counts, registerTestSdk, type TestSdk } from './_otel.js';

let as: AuthServer;
let server: Server;
let verifier: IntrospectionTokenVerifier;
let base: string;
let sdk: TestSdk | undefined;
const serverSpanIds: string[] = [];

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: `${base}/mcp`,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
    timeoutMs: 2000,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const read = requireBearerAuth({ verifier, requiredScopes: ['read'] });
  const write = requireBearerAuth({ verifier, requiredScopes: ['write'] });
  server.on('request', (req, res) => {
    // What HTTP instrumentation does: the request runs inside an active server span.
    const tracer = trace.getTracer('test-http');
    void tracer.startActiveSpan('GET /mcp', { kind: SpanKind.SERVER }, async (span) => {
      serverSpanIds.push(span.spanContext().spanId);
      const gate = req.url === '/write' ? write : read;
      const passed = await gate(req, res);
      if (passed !== undefined) res.writeHead(200).end('ok');
      span.end();
    });
  });
});

afterAll(async () => {
  await sdk?.shutdown();
  await verifier.close();
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
  await as.close();
});

async function call(path: string, authorization?: string): Promise<number> {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const res = await fetch(`${base}${path}`, { headers });
  await res.arrayBuffer();
  return res.status;
}

describe('telemetry through the gate (real authorization server)', () => {
  const tokens: string[] = [];

  it('records auth outcomes, verifications, introspection durations and spans exactly', async () => {
    const valid = await as.issueToken({ scope: 'read write', resource: `${base}/mcp` });
    const readOnly = await as.issueToken({ scope: 'read', resource: `${base}/mcp` });
    const doomed = await as.issueToken({ scope: 'read', resource: `${base}/mcp` });
    tokens.push(valid, readOnly, doomed);
    // Before any SDK: recorded into the no-op api, not seen later.
    expect(await call('/mcp')).toBe(401);

    sdk = registerTestSdk();
    expect(await call('/mcp')).toBe(401); // missing_token
    expect(await call('/mcp', 'Bearer not-a-real-token-1234')).toBe(401); // inactive
    expect(await call('/mcp', 'Bearer two words')).toBe(400); // malformed header
    expect(await call('/mcp', `Bearer ${valid}`)).toBe(200); // miss
    expect(await call('/mcp', `Bearer ${valid}`)).toBe(200); // hit
    expect(await call('/write', `Bearer ${readOnly}`)).toBe(403);
    await as.stop();
    try {
      expect(await call('/mcp', `Bearer ${doomed}`)).toBe(503);
    } finally {
      await as.start();
    }

    const m = await sdk.metrics();
    expect(counts(m.get('mcp_authflow.auth.requests'))).toEqual({
      'mcp_authflow.auth.outcome=missing_token': 1,
      'mcp_authflow.auth.outcome=invalid_token': 2,
      'mcp_authflow.auth.outcome=allowed': 2,
      'mcp_authflow.auth.outcome=insufficient_scope': 1,
      'mcp_authflow.auth.outcome=unavailable': 1,
    });
    const v = 'mcp_authflow.cache.result';
    const r = 'mcp_authflow.verification.method=introspection,mcp_authflow.verification.result';
    expect(counts(m.get('mcp_authflow.token.verifications'))).toEqual({
      [`${v}=miss,${r}=inactive`]: 1,
      [`${v}=miss,${r}=active`]: 2,
      [`${v}=hit,${r}=active`]: 1,
      [`${v}=miss,${r}=error`]: 1,
    });
    const duration = m.get('mcp_authflow.introspection.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(counts(duration)).toEqual({
      'mcp_authflow.introspection.result=inactive': 1,
      'mcp_authflow.introspection.result=active': 2,
      'mcp_authflow.introspection.result=error': 1,
    });
    const boundaries = (duration!.dataPoints[0]!.value as { buckets: { boundaries: number[] } })
      .buckets.boundaries;
    expect(boundaries[0]).toBe(0.005);
    expect(boundaries.at(-1)).toBe(10);
    expect(m.get('mcp_authflow.auth.requests')?.descriptor.unit).toBe('{request}');

    const spans = sdk.finished().filter((s) => s.name === 'mcp_authflow.introspect');
    expect(spans).toHaveLength(4); // the cache hit made no round trip
    for (const s of spans) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.instrumentationScope.name).toBe('mcp-authflow-resource');
      expect(serverSpanIds).toContain(s.parentSpanContext?.spanId);
    }
    const byResult = (result: string) =>
      spans.filter((s) => s.attributes['mcp_authflow.introspection.result'] === result);
    expect(byResult('active')).toHaveLength(2);
    expect(byResult('inactive')[0]?.status.code).toBe(SpanStatusCode.UNSET);
    const failed = byResult('error');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed[0]?.attributes['error.type']).toBe('ERR_HTTP_NETWORK');
  });

  it('counts friction decisions, naming configured tools only', async () => {
    const registry = new FrictionRegistry({
      defaultConfig: { warmupCalls: 0, timeDecayRate: 0 },
      toolConfigs: { delete_task: { targetRate: 0.03 } },
      toolGroups: {},
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const expected: Record<string, number> = {};
    let blocked = 0;
    for (let i = 0; i < 40; i++) {
      const d = await registry.checkAndRecord('client-secret-key-42', 'delete_task');
      const key = `gen_ai.tool.name=delete_task,mcp_authflow.friction.allowed=${d.allowed},mcp_authflow.friction.level=${d.frictionLevel}`;
      expected[key] = (expected[key] ?? 0) + 1;
      if (!d.allowed) blocked++;
    }
    await registry.checkAndRecord('client-secret-key-42', 'unlisted_tool_x');
    await registry.recordUnconfigured('client-secret-key-42', 'get_tasks');
    expected['mcp_authflow.friction.allowed=true,mcp_authflow.friction.level=NONE'] = 1;
    expect(blocked).toBeGreaterThan(0);
    const m = await sdk!.metrics();
    expect(counts(m.get('mcp_authflow.friction.decisions'))).toEqual(expected);
    await registry.close();
  });

  it('exports no token, secret or client id in any attribute, name or status', async () => {
    const m = await sdk!.metrics();
    const exported = JSON.stringify({
      metrics: [...m.values()].map((x) => ({ d: x.descriptor, p: x.dataPoints })),
      spans: sdk!.finished().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
        resource: s.resource.attributes,
      })),
    });
    const secrets = [
      ...tokens,
      'not-a-real-token-1234',
      as.clients.basic.clientId,
      as.clients.basic.clientSecret,
      as.clients.m2m.clientId,
      as.clients.m2m.clientSecret,
      'client-secret-key-42',
      'unlisted_tool_x',
    ];
    expect(exported).toContain('mcp_authflow.introspect'); // the scan sees real data
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(5);
      expect(exported).not.toContain(secret);
    }
  });
});
