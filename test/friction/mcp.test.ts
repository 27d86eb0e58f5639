import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import { captureLogger } from './_logger.js';

const ran = { delete_task: 0, list_tasks: 0, early_tool: 0, legacy_delete: 0 };
let httpServer: Server;
let url: URL;
const logger = captureLogger();

function buildServer(registry: FrictionRegistry): McpServer {
  const server = new McpServer({ name: 'friction-test', version: '1.0.0' });
  server.registerTool('early_tool', { description: 'registered before withFriction' }, async () => {
    ran.early_tool++;
    return { content: [{ type: 'text', text: 'early' }] };
  });
  withFriction(server, registry);
  server.registerTool('delete_task', { inputSchema: { id: z.string() } }, async ({ id }) => {
    ran.delete_task++;
    return { content: [{ type: 'text', text: `deleted ${id}` }] };
  });
  server.registerTool('list_tasks', {}, async (extra) => {
    ran.list_tasks++;
    return { content: [{ type: 'text', text: `tasks for ${extra.authInfo?.clientId}` }] };
  });
  server.tool('legacy_delete', async () => {
    ran.legacy_delete++;
    return { content: [{ type: 'text', text: 'legacy' }] };
  });
  return server;
}

beforeAll(async () => {
  const registry = new FrictionRegistry({
    defaultConfig: { controller: 'proportional', warmupCalls: 0 },
    toolConfigs: { delete_task: { targetRate: 0.05 }, legacy_delete: { targetRate: 0.03 } },
    toolGroups: {
      legacy: { tools: ['legacy_delete'], ceiling: { limit: 3, windowMs: 3_600_000 } },
    },
    logger,
  });
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const clientId = req.header('x-test-client');
    if (clientId) {
      const auth: AuthInfo = {
        token: 'opaque',
        clientId,
        scopes: ['tasks'],
        expiresAt: 4102444800,
      };
      (req as unknown as { auth: AuthInfo }).auth = auth;
    }
    next();
  });
  app.post('/mcp', async (req, res) => {
    // Stateless: one server and transport per request, one registry for all of them.
    const server = buildServer(registry);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  httpServer = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = new URL(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`);
});

afterAll(async () => {
  httpServer.closeAllConnections();
  await new Promise((r) => httpServer.close(r));
});

async function connect(clientId?: string): Promise<Client> {
  const headers: Record<string, string> = clientId ? { 'x-test-client': clientId } : {};
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

function text(r: unknown): string {
  const c = (r as CallToolResult).content[0];
  return c?.type === 'text' ? c.text : '';
}

describe('withFriction through a real McpServer and SDK client over HTTP', () => {
  it('refuses a spammed configured tool without running it; reads still work', async () => {
    const client = await connect('agent-1');
    let refused: CallToolResult | undefined;
    let attempts = 0;
    while (!refused && attempts < 100) {
      attempts++;
      const before = ran.delete_task;
      const r = (await client.callTool({
        name: 'delete_task',
        arguments: { id: String(attempts) },
      })) as CallToolResult;
      if (r.isError) {
        refused = r;
        expect(ran.delete_task).toBe(before);
      } else {
        expect(ran.delete_task).toBe(before + 1);
      }
    }
    expect(attempts).toBe(20);
    expect(text(refused)).toMatch(
      /^Tool 'delete_task' is temporarily rate-limited\. Blocked: friction 1\.00 >= threshold 0\.95\. Please try a different approach or wait about \d+ seconds before retrying\.$/,
    );
    const read = await client.callTool({ name: 'list_tasks', arguments: {} });
    expect(read.isError).toBeFalsy();
    expect(text(read)).toBe('tasks for agent-1');
    expect(
      logger.records.some((r) => r.event_type === 'friction_block' && r.client_id === 'agent-1'),
    ).toBe(true);
    await client.close();
  });

  it('covers tools registered with tool() and before withFriction', async () => {
    const client = await connect('agent-2');
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      refused = Boolean((await client.callTool({ name: 'legacy_delete', arguments: {} })).isError);
    }
    expect(refused).toBe(true);
    expect(ran.legacy_delete).toBeLessThan(40);
    expect((await client.callTool({ name: 'early_tool', arguments: {} })).isError).toBeFalsy();
    expect(ran.early_tool).toBe(1);
    await client.close();
  });

  it('refuses beyond an absolute ceiling with the same isError result, naming the ceiling', async () => {
    const client = await connect('agent-3');
    const before = ran.legacy_delete;
    for (let i = 0; i < 19; i++) await client.callTool({ name: 'list_tasks', arguments: {} });
    const results: CallToolResult[] = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        (await client.callTool({ name: 'legacy_delete', arguments: {} })) as CallToolResult,
      );
    }
    expect(results.map((r) => Boolean(r.isError))).toEqual([false, false, false, true]);
    expect(ran.legacy_delete).toBe(before + 3);
    expect(text(results[3])).toBe(
      "Tool 'legacy_delete' is temporarily rate-limited. Ceiling reached: 3 calls per 3600000 ms for group 'legacy'. Please try a different approach or wait about 1200 seconds before retrying.",
    );
    expect(
      logger.records.some(
        (r) => r.event_type === 'friction_block' && r.client_id === 'agent-3' && !r.allowed,
      ),
    ).toBe(true);
    await client.close();
  });

  it('lets a call without auth info through and logs it (default onMissingAuth allow)', async () => {
    const client = await connect();
    const before = ran.delete_task;
    const r = await client.callTool({ name: 'delete_task', arguments: { id: 'x' } });
    expect(r.isError).toBeFalsy();
    expect(ran.delete_task).toBe(before + 1);
    expect(
      logger.records.some((x) => x.event_type === 'friction_missing_auth' && x.level === 'warn'),
    ).toBe(true);
    await client.close();
  });
});
