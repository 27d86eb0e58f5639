import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
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

// Issue 20 item 2: a tool registered with `server.experimental.tasks.registerToolTask` used to
// escape withFriction entirely (100 of 100 calls ran).
const ran = { bulk_export: 0, early_task: 0 };
const taskStore = new InMemoryTaskStore();
let httpServer: Server;
let url: URL;
const logger = captureLogger();

type TaskExtra = { taskStore: InMemoryTaskStore; taskRequestedTtl?: number | null };

function taskHandler(counter: keyof typeof ran) {
  return {
    async createTask(...args: unknown[]) {
      const { taskStore: store } = args[args.length - 1] as TaskExtra;
      ran[counter]++;
      const task = await store.createTask({ ttl: 60_000 }, 0, {
        method: 'tools/call',
        params: {},
      } as never);
      await store.storeTaskResult(task.taskId, 'completed', {
        content: [{ type: 'text', text: `${counter} done` }],
      });
      return { task: (await store.getTask(task.taskId)) ?? task };
    },
    async getTask(_args: unknown, extra: { taskId: string; taskStore: InMemoryTaskStore }) {
      return (await extra.taskStore.getTask(extra.taskId)) as never;
    },
    async getTaskResult(_args: unknown, extra: { taskId: string; taskStore: InMemoryTaskStore }) {
      return (await extra.taskStore.getTaskResult(extra.taskId)) as never;
    },
  };
}

function buildServer(registry: FrictionRegistry): McpServer {
  const server = new McpServer(
    { name: 'friction-tasks', version: '1.0.0' },
    { capabilities: { tasks: { requests: { tools: { call: {} } } } }, taskStore },
  );
  server.experimental.tasks.registerToolTask(
    'early_task',
    { description: 'registered before withFriction', execution: { taskSupport: 'optional' } },
    taskHandler('early_task') as never,
  );
  withFriction(server, registry);
  server.experimental.tasks.registerToolTask(
    'bulk_export',
    { inputSchema: { id: z.string() }, execution: { taskSupport: 'optional' } },
    taskHandler('bulk_export') as never,
  );
  return server;
}

beforeAll(async () => {
  const registry = new FrictionRegistry({
    defaultConfig: { warmupCalls: 0 },
    toolConfigs: { bulk_export: { targetRate: 0.05 }, early_task: { targetRate: 0.05 } },
    logger,
  });
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const clientId = req.header('x-test-client') as string;
    const auth: AuthInfo = { token: 'opaque', clientId, scopes: [], expiresAt: 4102444800 };
    (req as unknown as { auth: AuthInfo }).auth = auth;
    next();
  });
  app.post('/mcp', async (req, res) => {
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

async function connect(clientId: string): Promise<Client> {
  const client = new Client({ name: 'tasks-client', version: '1.0.0' });
  const headers = { 'x-test-client': clientId };
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

async function spam(client: Client, name: keyof typeof ran, max: number) {
  let refused: CallToolResult | undefined;
  let attempts = 0;
  while (refused === undefined && attempts < max) {
    attempts++;
    const before = ran[name];
    const r = (await client.callTool({
      name,
      arguments: { id: String(attempts) },
    })) as CallToolResult;
    if (r.isError) {
      refused = r;
      expect(ran[name]).toBe(before);
    } else {
      expect(ran[name]).toBe(before + 1);
    }
  }
  return { refused, attempts };
}

describe('withFriction covers experimental.tasks.registerToolTask (SDK 1.x, real server/client)', () => {
  it('blocks a spammed task tool before createTask runs, with the retry hint', async () => {
    const client = await connect('tasks-agent-1');
    try {
      const first = (await client.callTool({
        name: 'bulk_export',
        arguments: { id: '0' },
      })) as CallToolResult;
      expect(first.content[0]).toEqual({ type: 'text', text: 'bulk_export done' });
      const { refused, attempts } = await spam(client, 'bulk_export', 100);
      expect(refused).toBeDefined();
      expect(attempts).toBeLessThan(100);
      expect((refused as CallToolResult).content[0]).toMatchObject({
        type: 'text',
        text: expect.stringMatching(
          /^Tool 'bulk_export' is temporarily rate-limited\..*retrying\.$/,
        ),
      });
      expect(ran.bulk_export).toBeLessThan(attempts + 1);
    } finally {
      await client.close();
    }
  });

  it('covers task tools registered before withFriction; clients are limited independently', async () => {
    const one = await connect('tasks-agent-2');
    const two = await connect('tasks-agent-3');
    try {
      const blocked = await spam(one, 'early_task', 100);
      expect(blocked.refused).toBeDefined();
      const other = (await two.callTool({ name: 'early_task', arguments: {} })) as CallToolResult;
      expect(other.isError).toBeFalsy();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
