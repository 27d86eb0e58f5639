import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerOAuthDiscoveryEndpoints, requireBearerAuth } from '../../src/express.js';
import { silentLogger } from '../../src/lib/logger.js';
import { CompositeTokenVerifier } from '../../src/verify/composite.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

let as: AuthServer;
let http: Server;
let url: string;
let origin: string;
let verifier: CompositeTokenVerifier;
const seen: { tool: string; auth: AuthInfo | undefined }[] = [];

function buildServer(): McpServer {
  const server = new McpServer({ name: 'jwt-notes', version: '1.0.0' });
  for (const tool of ['whoami', 'add_note']) {
    server.registerTool(tool, { description: tool }, async (extra) => {
      seen.push({ tool, auth: extra.authInfo });
      return { content: [{ type: 'text', text: extra.authInfo?.clientId ?? '' }] };
    });
  }
  return server;
}

beforeAll(async () => {
  // JWT access tokens for the MCP endpoint; opaque ones for the origin (its aud covers /mcp).
  as = await startAuthServer({
    scopes: ['read', 'write'],
    jwtResources: (r) => r.endsWith('/mcp'),
  });
  http = createServer();
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  url = `${origin}/mcp`;
  verifier = new CompositeTokenVerifier({
    jwt: new JwtTokenVerifier({ issuer: as.issuer, serverUrl: url, logger: silentLogger }),
    introspection: new IntrospectionTokenVerifier({
      introspectionEndpoint: as.introspectionEndpoint,
      serverUrl: url,
      clientId: as.clients.basic.clientId,
      clientSecret: as.clients.basic.clientSecret,
      logger: silentLogger,
    }),
  });
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  registerOAuthDiscoveryEndpoints(app, {
    serverUrl: url,
    authServerPublicUrl: as.issuer,
    scopes: ['read', 'write'],
  });
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: { add_note: ['write'] },
  });
  app.all('/mcp', gate, async (req: Request, res: Response) => {
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  http.on('request', app);
});

afterAll(async () => {
  http.closeAllConnections();
  http.close();
  await verifier.close();
  await as.close();
});

beforeEach(() => {
  seen.length = 0;
});

function call(token: string, tool: string): Promise<globalThis.Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: tool, arguments: {} },
    }),
  });
}

describe('JWT access tokens from oidc-provider through the gate and the SDK', () => {
  it('the SDK client: 401 → discovery → JWT → tools/call, verified locally', async () => {
    const provider = new ClientCredentialsProvider({
      clientId: as.clients.m2m.clientId,
      clientSecret: as.clients.m2m.clientSecret,
      scope: 'read write',
      expectedIssuer: as.issuer,
    });
    const client = new Client({ name: 'jwt-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }),
    );
    try {
      const token = provider.tokens()?.access_token as string;
      expect(token.split('.')).toHaveLength(3);
      const introspections = as.introspectionCount;
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.callTool({ name: 'add_note', arguments: {} });
      expect(as.introspectionCount).toBe(introspections);
      expect(seen.map((s) => s.tool)).toEqual(['whoami', 'add_note']);
      expect(seen[0]?.auth).toMatchObject({ clientId: as.clients.m2m.clientId });
      expect(seen[0]?.auth?.scopes).toEqual(expect.arrayContaining(['read', 'write']));
      expect(seen[0]?.auth?.resource?.href).toBe(url);
    } finally {
      await client.close();
    }
  });

  it('403 step-up for a read-only JWT; an opaque token goes to introspection', async () => {
    const jwt = await as.issueToken({ scope: 'read', resource: url });
    expect(jwt.split('.')).toHaveLength(3);
    const refused = await call(jwt, 'add_note');
    expect(refused.status).toBe(403);
    const challenge = parseWwwAuthenticate(refused.headers.get('www-authenticate') ?? '');
    expect(challenge.params.error).toBe('insufficient_scope');
    expect(challenge.params.scope?.split(' ').sort()).toEqual(['read', 'write']);
    expect((await call(jwt, 'whoami')).status).toBe(200);
    const opaque = await as.issueToken({ scope: 'read write', resource: `${origin}/` });
    expect(opaque).not.toContain('.');
    const before = as.introspectionCount;
    expect((await call(opaque, 'add_note')).status).toBe(200);
    expect(as.introspectionCount).toBe(before + 1);
    expect(seen.map((s) => s.tool)).toEqual(['whoami', 'add_note']);
  });

  it('a JWT for another resource is 401 invalid_token', async () => {
    const other = await as.issueToken({ scope: 'read', resource: 'https://elsewhere.example/mcp' });
    const refused = await call(other, 'whoami');
    expect(refused.status).toBe(401);
    expect(parseWwwAuthenticate(refused.headers.get('www-authenticate') ?? '').params.error).toBe(
      'invalid_token',
    );
  });
});
