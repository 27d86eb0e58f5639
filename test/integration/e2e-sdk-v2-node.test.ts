import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerAuth } from '../../src/adapters/node/bearer.js';
import { createOAuthDiscoveryHandler } from '../../src/adapters/node/discovery.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

// The node:http path: this library's node gate (it parses the body) in front of SDK 2.x's
// toNodeHandler(createMcpHandler(...)), with the 2.x client over real HTTP.
let as: AuthServer;
let verifier: IntrospectionTokenVerifier;
let http: Server;
let url: string;
const ran: string[] = [];

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  http = createServer();
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: url,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
  });
  const mcp = toNodeHandler(
    createMcpHandler(() => {
      const server = new McpServer({ name: 'node', version: '1' });
      server.registerTool('erase', {}, async (ctx) => {
        ran.push(ctx.http?.authInfo?.clientId ?? 'nobody');
        return { content: [{ type: 'text', text: 'erased' }] };
      });
      return server;
    }),
  );
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: { erase: ['write'] },
  });
  const discovery = createOAuthDiscoveryHandler({
    serverUrl: url,
    authServerPublicUrl: as.issuer,
    scopes: ['read', 'write'],
  });
  http.on('request', async (req, res) => {
    if (await discovery(req, res)) return;
    const passed = await gate(req, res);
    if (passed !== undefined) await mcp(req, res, passed.body);
  });
});

afterAll(async () => {
  http?.closeAllConnections();
  http?.close();
  await verifier?.close();
  await as?.close();
});

describe('node gate + SDK 2.x toNodeHandler', () => {
  it('step-up through the node gate: the client re-authorizes with the union and the tool runs', async () => {
    const provider = new ClientCredentialsProvider({
      ...as.clients.m2m,
      scope: 'read',
      expectedIssuer: as.issuer,
    });
    const client = new Client(
      { name: 'node-client', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }),
    );
    try {
      const result = await client.callTool({ name: 'erase', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'erased' }]);
      expect(ran).toEqual([as.clients.m2m.clientId]);
    } finally {
      await client.close();
    }
  });
});
