import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoggingMiddleware,
  createOAuthDiscoveryHandler,
  normalizePath,
  requireBearerAuth,
} from '../../src/node.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

let as: AuthServer;
let server: Server;
let verifier: IntrospectionTokenVerifier;
let mcpUrl: string;
const logs = captureLogger();

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  mcpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: mcpUrl,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
  });
  const discovery = createOAuthDiscoveryHandler({
    serverUrl: mcpUrl,
    authServerPublicUrl: as.issuer,
    scopes: ['read', 'write'],
  });
  const gate = requireBearerAuth({ verifier, requiredScopes: ['read'] });
  const normalize = normalizePath();
  const log = createLoggingMiddleware({ logger: logs });
  server.on('request', async (req, res) => {
    log(req, res);
    normalize(req);
    if (await discovery(req, res)) return;
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    const passed = await gate(req, res);
    if (passed === undefined) return;
    const mcp = new McpServer({ name: 'node-e2e', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'caller' }, async (extra) => ({
      content: [{ type: 'text', text: JSON.stringify(extra.authInfo?.scopes ?? []) }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void mcp.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res, passed.body);
  });
});

afterAll(async () => {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
  await verifier.close();
  await as.close();
});

describe('node:http adapters with the SDK client', () => {
  it('discovery → client credentials token → tools/call sees the scopes', async () => {
    const provider = new ClientCredentialsProvider({
      clientId: as.clients.m2m.clientId,
      clientSecret: as.clients.m2m.clientSecret,
      scope: 'read',
      expectedIssuer: as.issuer,
    });
    const client = new Client({ name: 'node-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${mcpUrl}/`), { authProvider: provider }),
    );
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: '["read"]' }]);
    } finally {
      await client.close();
    }
    const token = provider.tokens()?.access_token as string;
    expect(logs.records.some((r) => r.record.clientId === as.clients.m2m.clientId)).toBe(true);
    expect(logs.text()).not.toContain(token);
  });
});
