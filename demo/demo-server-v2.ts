/**
 * The demo's protected MCP server on MCP SDK 2.x (`npm run demo -- --sdk v2`): the same tasks,
 * scopes, gate and friction as `demo-server.ts`, served by `@modelcontextprotocol/server`'s
 * `createMcpHandler` (protocol 2026-07-28 and the 2025 revisions, sessionless) through
 * `@modelcontextprotocol/node`. The tools read the caller from `ctx.http.authInfo`.
 *
 * @module
 * @internal
 */

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type CallToolResult, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import {
  mcpErrorHandler,
  normalizePath,
  registerOAuthDiscoveryEndpoints,
  requireBearerAuth,
} from '../src/express.js';
import { type FrictionRegistry, withFriction } from '../src/index.js';
import {
  DEMO_SCOPES,
  DEMO_TOOL_SCOPES,
  type DemoServer,
  type DemoServerOptions,
  demoFriction,
  demoHandle,
  demoVerifier,
  seedTasks,
} from './demo-server.js';

function text(value: string, isError = false): CallToolResult {
  return isError
    ? { isError, content: [{ type: 'text', text: value }] }
    : { content: [{ type: 'text', text: value }] };
}

function buildMcpServer(tasks: Map<number, string>, registry: FrictionRegistry): McpServer {
  const server = withFriction(new McpServer({ name: 'demo-tasks', version: '1.0.0' }), registry);
  server.registerTool('list_tasks', { description: 'List the tasks (scope "read")' }, async () => {
    const first = [...tasks].slice(0, 3).map(([id, title]) => `#${id} ${title}`);
    const more = tasks.size > 3 ? `, … (+${tasks.size - 3} more)` : '';
    return text(`${tasks.size} tasks: ${first.join(', ')}${more}`);
  });
  server.registerTool(
    'add_task',
    {
      description: 'Add a task (scope "write")',
      inputSchema: z.object({ title: z.string().min(1) }),
    },
    async ({ title }) => {
      const id = Math.max(0, ...tasks.keys()) + 1;
      tasks.set(id, title);
      return text(`added task #${id} "${title}"`);
    },
  );
  server.registerTool(
    'delete_task',
    {
      description: 'Delete a task (scope "write"; friction-controlled)',
      inputSchema: z.object({ id: z.int() }),
    },
    async ({ id }) => {
      const title = tasks.get(id);
      if (title === undefined) return text(`no task #${id}`, true);
      tasks.delete(id);
      return text(`deleted task #${id} "${title}"`);
    },
  );
  return server;
}

/**
 * Starts the SDK 2.x demo server on 127.0.0.1.
 *
 * @param options - The authorization server and the port.
 * @returns The running server.
 */
export async function startDemoServerV2(options: DemoServerOptions): Promise<DemoServer> {
  const httpServer = createServer();
  httpServer.listen(options.port, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/mcp`;
  const verifier = demoVerifier(options, url);
  const tasks = seedTasks();
  const friction = demoFriction(options.logger);
  const mcp = toNodeHandler(createMcpHandler(() => buildMcpServer(tasks, friction.current())));
  const app = express();
  app.use(express.json());
  app.use(normalizePath());
  registerOAuthDiscoveryEndpoints(app, {
    serverUrl: url,
    authServerPublicUrl: options.issuer,
    scopes: DEMO_SCOPES,
    resourceName: 'Demo tasks (SDK 2.x)',
    logger: options.logger,
  });
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: DEMO_TOOL_SCOPES,
    logger: options.logger,
  });
  app.all('/mcp', gate, (req: Request, res: Response) => mcp(req, res, req.body));
  app.use(mcpErrorHandler());
  httpServer.on('request', app);
  return demoHandle(httpServer, url, tasks, verifier, friction);
}
