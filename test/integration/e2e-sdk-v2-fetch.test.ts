import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import { requireBearerAuth } from '../../src/http/fetch.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

// The Web-standard path: this library's fetch gate in front of SDK 2.x's createMcpHandler, the
// 2.x client (2026-07-28) talking to it through a fetch function (no socket on the MCP side).
const URL_ = 'http://127.0.0.1:1/mcp';
let as: AuthServer;
let verifier: IntrospectionTokenVerifier;
let serve: (request: Request) => Promise<Response>;

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
    const auth = await gate(request);
    return auth instanceof Response ? auth : handler.fetch(request, { authInfo: auth });
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

  it('no token: 401 from the gate, the handler never runs', async () => {
    const r = await serve(new Request(URL_, { method: 'POST' }));
    expect(r.status).toBe(401);
  });
});
