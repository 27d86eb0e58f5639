import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerAuth } from '../../src/adapters/fetch/bearer.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

// The Web-standard path: this library's fetch gate in front of SDK 2.x's createMcpHandler, the
// 2.x client (2026-07-28) talking to it through a fetch function (no socket on the MCP side).
const URL_ = 'http://127.0.0.1:1/mcp';
let as: AuthServer;
let verifier: IntrospectionTokenVerifier;
let serve: (request: Request) => Promise<Response>;
const handed: unknown[] = [];

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: URL_,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
  });
  const registry = new FrictionRegistry({
    defaultConfig: { warmupCalls: 0 },
    toolConfigs: { whoami: { targetRate: 0.05 } },
  });
  const handler = createMcpHandler(() => {
    const server = withFriction(new McpServer({ name: 'fetch', version: '1' }), registry);
    server.registerTool('whoami', {}, async (ctx) => ({
      content: [{ type: 'text', text: ctx.http?.authInfo?.clientId ?? 'nobody' }],
    }));
    return server;
  });
  const gate = requireBearerAuth({ verifier, requiredScopes: ['read'] });
  serve = async (request) => {
    const passed = await gate(request);
    if (passed instanceof Response) return passed;
    // The body the gate checked is the one the handler serves: one parse.
    handed.push(passed.parsedBody);
    const { authInfo, parsedBody } = passed;
    return handler.fetch(passed.request, { authInfo, parsedBody });
  };
});

afterAll(async () => {
  await verifier?.close();
  await as?.close();
});

async function connect(token: string): Promise<Client> {
  const client = new Client(
    { name: 'fetch-client', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(URL_), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => serve(new Request(input, init)),
  });
  await client.connect(transport);
  return client;
}

describe('fetch gate + SDK 2.x createMcpHandler', () => {
  it('the tool sees the caller; friction keyed by ctx.http.authInfo blocks the spammer only', async () => {
    const a = await connect(await as.issueToken({ scope: 'read', resource: URL_ }));
    const b = await connect(
      await as.issueToken({
        scope: 'read',
        resource: URL_,
        clientId: as.clients.m2m2.clientId,
        clientSecret: as.clients.m2m2.clientSecret,
      }),
    );
    try {
      const first = await a.callTool({ name: 'whoami', arguments: {} });
      expect(first.content).toEqual([{ type: 'text', text: as.clients.m2m.clientId }]);
      let refused = false;
      for (let i = 0; i < 60 && !refused; i++) {
        refused = Boolean((await a.callTool({ name: 'whoami', arguments: {} })).isError);
      }
      expect(refused).toBe(true);
      const other = await b.callTool({ name: 'whoami', arguments: {} });
      expect(other.content).toEqual([{ type: 'text', text: as.clients.m2m2.clientId }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('2026-07-28 request without Mcp-Name: 400 -32020 from the gate, the handler never runs', async () => {
    const token = await as.issueToken({ scope: 'read', resource: URL_ });
    const body = {
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    };
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
    };
    const before = handed.length;
    const r = await serve(
      new Request(URL_, { method: 'POST', headers, body: JSON.stringify(body) }),
    );
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ jsonrpc: '2.0', id: 5, error: { code: -32020 } });
    const named = await serve(
      new Request(URL_, {
        method: 'POST',
        headers: { ...headers, 'mcp-name': 'whoami' },
        body: JSON.stringify(body),
      }),
    );
    // Past the gate; the SDK itself then wants the 2026 `_meta` envelope (-32602), not -32020.
    expect(((await named.json()) as { error?: { code?: number } }).error?.code).not.toBe(-32020);
    expect(handed.slice(before)).toEqual([body]);
  });

  it('no token: 401 from the gate, the handler never runs', async () => {
    const r = await serve(new Request(URL_, { method: 'POST' }));
    expect(r.status).toBe(401);
  });
});
