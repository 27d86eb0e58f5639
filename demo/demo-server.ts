/**
 * The demo's MCP server: the SDK's `McpServer` + `StreamableHTTPServerTransport` on Express,
 * protected by this library (a `CompositeTokenVerifier`: RFC 9068 JWT access tokens verified
 * locally with the issuer's keys, opaque ones by RFC 7662 introspection; RFC 9728 discovery; the
 * bearer gate with a per-tool scope) and with `delete_task` under friction control.
 *
 * @module
 * @internal
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Request, Response } from 'express';
import * as z from 'zod/mini';
import {
  normalizePath,
  registerOAuthDiscoveryEndpoints,
  requireBearerAuth,
} from '../src/express.js';
import {
  CompositeTokenVerifier,
  FrictionRegistry,
  type FrictionRegistryOptions,
  IntrospectionTokenVerifier,
  JwtTokenVerifier,
  type Logger,
  withFriction,
} from '../src/index.js';

/** The scopes the demo resource understands. */
export const DEMO_SCOPES: readonly string[] = ['read', 'write'];

/** Per-tool scopes on top of `read` (checked by the gate before the tool runs). */
export const DEMO_TOOL_SCOPES: Readonly<Record<string, readonly string[]>> = {
  add_task: ['write'],
  delete_task: ['write'],
};

/**
 * Friction for the demo: `delete_task` may take 5 % of a client's calls; no warm-up so the
 * levels climb within a few dozen calls.
 */
export function demoFrictionOptions(logger: Logger): FrictionRegistryOptions {
  return {
    defaultConfig: { warmupCalls: 0 },
    toolConfigs: { delete_task: { targetRate: 0.05 } },
    logger,
  };
}

/** The authorization server the demo server trusts, and its introspection credentials. */
export interface DemoServerOptions {
  /** Issuer of JWT access tokens; its keys are discovered from its metadata. */
  readonly issuer: string;
  readonly introspectionEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Port of the MCP server; 0 picks a free one. */
  readonly port: number;
  /** Friction events (and any warning of the library). */
  readonly logger: Logger;
}

/** A running demo server. */
export interface DemoServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  /** The tasks (shared by every request; the server is stateless per request). */
  readonly tasks: Map<number, string>;
  /** The friction registry in use. */
  readonly registry: FrictionRegistry;
  /** Replaces the friction registry by a fresh one (every client starts over). */
  resetFriction(): void;
  close(): Promise<void>;
}

function text(value: string, isError = false): CallToolResult {
  return isError
    ? { isError, content: [{ type: 'text', text: value }] }
    : { content: [{ type: 'text', text: value }] };
}

/** The demo's initial tasks (enough to delete for friction to climb). */
export function seedTasks(): Map<number, string> {
  const tasks = new Map<number, string>([
    [1, 'Write the README'],
    [2, 'Ship the demo'],
    [3, 'Review the friction settings'],
  ]);
  for (let i = 4; i <= 60; i++) tasks.set(i, `Stale task ${i - 3}`);
  return tasks;
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
      inputSchema: { title: z.string().check(z.minLength(1)) },
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
      inputSchema: { id: z.int() },
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

/** The demo's friction registry, replaced by a fresh one on reset. */
export interface DemoFriction {
  current(): FrictionRegistry;
  reset(): void;
}

/** Creates the demo's {@link DemoFriction}. */
export function demoFriction(logger: Logger): DemoFriction {
  let registry = new FrictionRegistry(demoFrictionOptions(logger));
  return {
    current: () => registry,
    reset() {
      void registry.close();
      registry = new FrictionRegistry(demoFrictionOptions(logger));
    },
  };
}

/** The {@link DemoServer} handle of a listening demo server (either SDK line). */
export function demoHandle(
  httpServer: Server,
  url: string,
  tasks: Map<number, string>,
  verifier: { close(): Promise<void> },
  friction: DemoFriction,
): DemoServer {
  return {
    url,
    tasks,
    get registry() {
      return friction.current();
    },
    resetFriction: friction.reset,
    async close() {
      const closed = once(httpServer, 'close');
      httpServer.close();
      httpServer.closeAllConnections();
      await closed;
      await verifier.close();
      await friction.current().close();
    },
  };
}

/**
 * The demo's verifier: RFC 9068 JWT access tokens checked with the issuer's keys, anything else
 * introspected (RFC 7662).
 */
export function demoVerifier(options: DemoServerOptions, url: string): CompositeTokenVerifier {
  return new CompositeTokenVerifier({
    jwt: new JwtTokenVerifier({ issuer: options.issuer, serverUrl: url, logger: options.logger }),
    introspection: new IntrospectionTokenVerifier({
      introspectionEndpoint: options.introspectionEndpoint,
      serverUrl: url,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      logger: options.logger,
    }),
  });
}

/**
 * Starts the protected MCP server on 127.0.0.1.
 *
 * @param options - The authorization server and the port.
 * @returns The running server.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const httpServer = createServer();
  httpServer.listen(options.port, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/mcp`;
  const verifier = demoVerifier(options, url);
  const tasks = seedTasks();
  const friction = demoFriction(options.logger);
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.use(normalizePath());
  registerOAuthDiscoveryEndpoints(app, {
    serverUrl: url,
    authServerPublicUrl: options.issuer,
    scopes: DEMO_SCOPES,
    resourceName: 'Demo tasks',
    logger: options.logger,
  });
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: DEMO_TOOL_SCOPES,
    logger: options.logger,
  });
  app.all('/mcp', gate, async (req: Request, res: Response) => {
    const server = buildMcpServer(tasks, friction.current());
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  httpServer.on('request', app);
  return demoHandle(httpServer, url, tasks, verifier, friction);
}
