import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningExample, startExampleServer } from '../../examples/protect-mcp-server.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { BrowserlessPkceProvider } from '../helpers/pkce-client-provider.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

const REDIRECT_URL = 'http://127.0.0.1/callback';

let as: AuthServer;
let mcp: RunningExample;
const logs = captureLogger();
const toolCalls: { tool: string; authInfo: AuthInfo | undefined }[] = [];

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'], redirectUris: [REDIRECT_URL] });
  mcp = await startExampleServer({
    authServerUrl: as.issuer,
    introspectionEndpoint: as.introspectionEndpoint,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
    logger: logs,
    onToolCall: (tool, authInfo) => toolCalls.push({ tool, authInfo }),
  });
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

beforeEach(() => {
  toolCalls.length = 0;
});

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const [first] = result.content as { type: string; text: string }[];
  return first?.text ?? '';
}

function rpc(token: string, tool: string, args: Record<string, unknown> = {}): Promise<Response> {
  return fetch(mcp.url, {
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
      params: { name: tool, arguments: args },
    }),
  });
}

describe('the SDK client against the protected example server', () => {
  it('client credentials: 401 → metadata → token → tools/list → a tool sees the caller', async () => {
    const provider = new ClientCredentialsProvider({
      clientId: as.clients.m2m.clientId,
      clientSecret: as.clients.m2m.clientSecret,
      scope: 'read write',
      expectedIssuer: as.issuer,
    });
    const client = new Client({ name: 'e2e-m2m', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), {
      authProvider: provider,
    });
    expect(provider.tokens()).toBeUndefined();
    await client.connect(transport);
    try {
      expect(provider.tokens()?.access_token).toEqual(expect.any(String));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['add_note', 'whoami']);
      const caller = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(caller.clientId).toBe(as.clients.m2m.clientId);
      expect(caller.scopes).toEqual(expect.arrayContaining(['read', 'write']));
      const stored = await client.callTool({ name: 'add_note', arguments: { text: 'hello' } });
      expect(textOf(stored)).toMatch(/^stored note/);
      expect(toolCalls.map((c) => c.tool)).toEqual(['whoami', 'add_note']);
      expect(toolCalls[0]?.authInfo?.resource?.href).toBe(mcp.url);
    } finally {
      await client.close();
    }
    const secret = as.clients.m2m.clientSecret;
    const token = provider.tokens()?.access_token as string;
    expect(logs.records.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(token);
    expect(logs.text()).not.toContain(secret);
    expect(logs.text()).toContain(`"clientId":"${as.clients.m2m.clientId}"`);
  });

  it('authorization code + PKCE without a browser, then step-up to the write scope', async () => {
    const provider = new BrowserlessPkceProvider(as.clients.public.clientId, REDIRECT_URL);
    const connectOnce = async (): Promise<Client> => {
      const client = new Client({ name: 'e2e-pkce', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }),
      );
      return client;
    };
    await expect(connectOnce()).rejects.toBeInstanceOf(UnauthorizedError);
    const first = provider.authorizationUrls[0] as URL;
    expect(first.searchParams.get('resource')).toBe(mcp.url);
    expect(first.searchParams.get('scope')).toBe('read');
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), {
      authProvider: provider,
    });
    await transport.finishAuth(provider.takeCode());
    const client = new Client({ name: 'e2e-pkce', version: '1.0.0' });
    await client.connect(transport);
    try {
      const caller = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(caller.clientId).toBe(as.clients.public.clientId);
      expect(caller.scopes).toEqual(['read']);
      // Step-up: the 403 names "write" (and the held "read"); the SDK re-authorizes with them.
      await expect(
        client.callTool({ name: 'add_note', arguments: { text: 'x' } }),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(toolCalls.map((c) => c.tool)).toEqual(['whoami']);
      const second = provider.authorizationUrls[1] as URL;
      expect(second.searchParams.get('scope')?.split(' ').sort()).toEqual(['read', 'write']);
    } finally {
      await client.close();
    }
    const upgraded = new StreamableHTTPClientTransport(new URL(mcp.url), {
      authProvider: provider,
    });
    await upgraded.finishAuth(provider.takeCode());
    const again = new Client({ name: 'e2e-pkce', version: '1.0.0' });
    await again.connect(upgraded);
    try {
      const stored = await again.callTool({ name: 'add_note', arguments: { text: 'x' } });
      expect(textOf(stored)).toMatch(/^stored note/);
    } finally {
      await again.close();
    }
  });

  it('step-up on the wire: a read-only token gets 403 insufficient_scope for the write tool', async () => {
    const token = await as.issueToken({ scope: 'read', resource: mcp.url });
    const refused = await rpc(token, 'add_note', { text: 'nope' });
    expect(refused.status).toBe(403);
    const challenge = parseWwwAuthenticate(refused.headers.get('www-authenticate') ?? '');
    expect(challenge.params.error).toBe('insufficient_scope');
    expect(challenge.params.scope?.split(' ').sort()).toEqual(['read', 'write']);
    expect(challenge.params.resource_metadata).toBe(
      mcp.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'),
    );
    expect(challenge.params.error_description).toBe('Missing scope: write');
    expect(await refused.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'Missing scope: write',
    });
    expect(toolCalls).toEqual([]);
    const allowed = await rpc(token, 'whoami');
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(as.clients.m2m.clientId);
    expect(toolCalls.map((c) => c.tool)).toEqual(['whoami']);
  });

  it('authorization server down: 503 + Retry-After, the tool does not run; back up: it works', async () => {
    const token = await as.issueToken({ scope: 'read write', resource: mcp.url });
    await as.stop();
    try {
      const refused = await rpc(token, 'whoami');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
      expect(toolCalls).toEqual([]);
    } finally {
      await as.start();
    }
    const allowed = await rpc(token, 'whoami');
    expect(allowed.status).toBe(200);
    expect(toolCalls.map((c) => c.tool)).toEqual(['whoami']);
  });

  it('no token and a bad token: 401 challenges the SDK client can follow', async () => {
    const missing = await fetch(mcp.url, { method: 'POST' });
    expect(missing.status).toBe(401);
    const challenge = parseWwwAuthenticate(missing.headers.get('www-authenticate') ?? '');
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params).not.toHaveProperty('error');
    expect(challenge.params.scope).toBe('read');
    const metadata = await fetch(challenge.params.resource_metadata as string);
    expect(await metadata.json()).toMatchObject({
      resource: mcp.url,
      authorization_servers: [as.issuer],
    });
    const bad = await rpc('not-a-real-token', 'whoami');
    expect(bad.status).toBe(401);
    expect(parseWwwAuthenticate(bad.headers.get('www-authenticate') ?? '').params.error).toBe(
      'invalid_token',
    );
    expect(toolCalls).toEqual([]);
  });
});
