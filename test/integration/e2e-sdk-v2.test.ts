import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type RunningExampleV2,
  startExampleServerV2,
} from '../../examples/protect-mcp-server-v2.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

// SDK 2.x client (pinned to protocol 2026-07-28) against the SDK 2.x example server protected
// by this library, with the in-process oidc-provider as the authorization server.
let as: AuthServer;
let mcp: RunningExampleV2;
const logs = captureLogger();
const toolCalls: { tool: string; authInfo: AuthInfo | undefined }[] = [];

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  mcp = await startExampleServerV2({
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

type Creds = { clientId: string; clientSecret: string };

async function connect(creds: Creds, scope: string) {
  const provider = new ClientCredentialsProvider({ ...creds, scope, expectedIssuer: as.issuer });
  const client = new Client(
    { name: 'e2e-v2', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }),
  );
  return { client, provider };
}

function textOf(result: unknown): string {
  const [first] = (result as { content: { type: string; text: string }[] }).content;
  return first?.text ?? '';
}

function post(token: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(mcp.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('SDK 2.x client and server, protocol 2026-07-28', () => {
  it('client credentials: 401 → discovery → token → tools/list → tools/call sees the caller', async () => {
    const unauthenticated = await fetch(mcp.url, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    const challenge = parseWwwAuthenticate(unauthenticated.headers.get('www-authenticate') ?? '');
    expect(challenge.params).not.toHaveProperty('error');
    const { client, provider } = await connect(as.clients.m2m, 'read write');
    try {
      expect(provider.tokens()?.access_token).toEqual(expect.any(String));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['add_note', 'search_notes', 'whoami']);
      const caller = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(caller.clientId).toBe(as.clients.m2m.clientId);
      // The 2.x client asks for the challenge's scope ("read": what every request needs).
      expect(caller.scopes).toEqual(['read']);
      expect(toolCalls[0]?.authInfo?.resource?.href).toBe(mcp.url);
    } finally {
      await client.close();
    }
    expect(logs.text()).not.toContain(provider.tokens()?.access_token as string);
  });

  it('step-up: 403 names the union of scopes; the client re-authorizes and the call runs', async () => {
    const { client, provider } = await connect(as.clients.m2m, 'read');
    try {
      const first = provider.tokens()?.access_token;
      const stored = await client.callTool({ name: 'add_note', arguments: { text: 'x' } });
      expect(textOf(stored)).toMatch(/^stored note/);
      expect(provider.tokens()?.access_token).not.toBe(first);
      expect(toolCalls.map((c) => c.tool)).toEqual(['add_note']);
      expect(toolCalls[0]?.authInfo?.scopes.sort()).toEqual(['read', 'write']);
    } finally {
      await client.close();
    }
    const token = await as.issueToken({ scope: 'read', resource: mcp.url });
    const refused = await post(
      token,
      {},
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add_note', arguments: { text: 'y' } },
      },
    );
    expect(refused.status).toBe(403);
    const challenge = parseWwwAuthenticate(refused.headers.get('www-authenticate') ?? '');
    expect(challenge.params.scope?.split(' ').sort()).toEqual(['read', 'write']);
    expect(challenge.params.scope).not.toContain('offline_access');
  });

  it('an Mcp-Name header that disagrees with the body: 400 / -32020, the tool does not run', async () => {
    const token = await as.issueToken({ scope: 'read write', resource: mcp.url });
    const mismatch = await post(
      token,
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'whoami' },
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'add_note', arguments: {} } },
    );
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32020 } });
    const missing = await post(
      token,
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' },
      { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ id: 8, error: { code: -32020 } });
    // A 2025 request needs no routing headers (the SDK's sessionless legacy path).
    const legacy = await post(
      token,
      { 'mcp-protocol-version': '2025-11-25' },
      {
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/list',
      },
    );
    expect(legacy.status).not.toBe(400);
    expect(toolCalls).toEqual([]);
  });

  it('friction blocks a spammed tool while others work; two clients are limited independently', async () => {
    const one = await connect(as.clients.m2m, 'read write');
    const two = await connect(as.clients.m2m2, 'read write');
    try {
      let refused: unknown;
      let attempts = 0;
      while (refused === undefined && attempts < 60) {
        attempts++;
        const r = await one.client.callTool({ name: 'search_notes', arguments: { q: 'x' } });
        if (r.isError) refused = r;
      }
      expect(attempts).toBeLessThan(60);
      expect(textOf(refused)).toMatch(/^Tool 'search_notes' is temporarily rate-limited\./);
      const ran = toolCalls.filter((c) => c.tool === 'search_notes').length;
      expect(ran).toBe(attempts - 1);
      expect((await one.client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
      const other = await two.client.callTool({ name: 'search_notes', arguments: { q: 'x' } });
      expect(other.isError).toBeFalsy();
      expect(toolCalls.at(-1)?.authInfo?.clientId).toBe(as.clients.m2m2.clientId);
    } finally {
      await one.client.close();
      await two.client.close();
    }
  });

  it('authorization server down: 503 + Retry-After and the tool does not run', async () => {
    const token = await as.issueToken({ scope: 'read write', resource: mcp.url });
    await as.stop();
    try {
      const refused = await post(
        token,
        {},
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'whoami', arguments: {} },
        },
      );
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(toolCalls).toEqual([]);
    } finally {
      await as.start();
    }
  });
});
