/**
 * Example: the same protected notes server as `protect-mcp-server.ts`, on MCP SDK 2.x
 * (`@modelcontextprotocol/server` + `@modelcontextprotocol/node`), which serves protocol
 * 2026-07-28 (sessionless, `Mcp-Method` / `Mcp-Name` headers) and the 2025 revisions.
 *
 * Tools: `whoami` (scope `read`), `add_note` (scopes `read` and `write`) and `search_notes`
 * (scope `read`, under friction: a client that spams it is slowed, then blocked).
 *
 * ```sh
 * AUTH_SERVER_URL=https://auth.example.com \
 * INTROSPECTION_ENDPOINT=https://auth.example.com/token/introspection \
 * INTROSPECTION_CLIENT_ID=mcp-server INTROSPECTION_CLIENT_SECRET=… \
 * PORT=3000 npx tsx examples/protect-mcp-server-v2.ts
 * ```
 *
 * @module
 */

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import {
  createLoggingMiddleware,
  mcpErrorHandler,
  normalizePath,
  registerOAuthDiscoveryEndpoints,
  requireBearerAuth,
} from '../src/express.js';
import { FrictionRegistry } from '../src/friction/registry.js';
import { withFriction } from '../src/friction/with-friction.js';
import type { Logger } from '../src/types.js';
import { IntrospectionTokenVerifier } from '../src/verify/introspection/verifier.js';

/** Options of {@link startExampleServerV2}. */
export interface ExampleServerV2Options {
  readonly authServerUrl: string;
  readonly introspectionEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Port to listen on (0: a random free port). @default 0 */
  readonly port?: number;
  /** Request log destination. @default JSON lines on stdout */
  readonly logger?: Logger;
  /** Called when a tool runs (tests use it to prove a refused call never ran). */
  readonly onToolCall?: (tool: string, authInfo: AuthInfo | undefined) => void;
}

/** A running example server. */
export interface RunningExampleV2 {
  /** The MCP endpoint URL. */
  readonly url: string;
  close(): Promise<void>;
}

const SCOPES = ['read', 'write'];

function buildMcpServer(options: ExampleServerV2Options, registry: FrictionRegistry): McpServer {
  // withFriction first: every tool registered afterwards is checked (configured) or recorded.
  const server = withFriction(
    new McpServer({ name: 'protected-notes', version: '1.0.0' }),
    registry,
  );
  const notes: string[] = [];
  const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
  server.registerTool('whoami', { description: 'Who is calling (needs "read")' }, async (ctx) => {
    const auth = ctx.http?.authInfo;
    options.onToolCall?.('whoami', auth);
    return text(JSON.stringify({ clientId: auth?.clientId, scopes: auth?.scopes ?? [] }));
  });
  server.registerTool(
    'add_note',
    { description: 'Store a note (needs "write")', inputSchema: z.object({ text: z.string() }) },
    async ({ text: note }, ctx) => {
      options.onToolCall?.('add_note', ctx.http?.authInfo);
      notes.push(note);
      return text(`stored note ${notes.length}`);
    },
  );
  server.registerTool(
    'search_notes',
    { description: 'Search notes (limited)', inputSchema: z.object({ q: z.string() }) },
    async ({ q }, ctx) => {
      options.onToolCall?.('search_notes', ctx.http?.authInfo);
      return text(JSON.stringify(notes.filter((n) => n.includes(q))));
    },
  );
  return server;
}

/**
 * Starts the example: discovery documents, request logging, `/mcp` behind the bearer gate and
 * SDK 2.x's `createMcpHandler` (a fresh `McpServer` per request, one friction registry).
 */
export async function startExampleServerV2(
  options: ExampleServerV2Options,
): Promise<RunningExampleV2> {
  const httpServer = createServer();
  httpServer.listen(options.port ?? 0, '127.0.0.1');
  await once(httpServer, 'listening');
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: options.introspectionEndpoint,
    serverUrl: url,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  const registry = new FrictionRegistry({
    defaultConfig: { warmupCalls: 0 },
    toolConfigs: { search_notes: { targetRate: 0.05 } },
  });
  const mcp = toNodeHandler(createMcpHandler(() => buildMcpServer(options, registry)));
  const app = express();
  app.use(express.json());
  app.use(createLoggingMiddleware(options.logger === undefined ? {} : { logger: options.logger }));
  app.use(normalizePath());
  registerOAuthDiscoveryEndpoints(app, {
    serverUrl: url,
    authServerPublicUrl: options.authServerUrl,
    scopes: SCOPES,
    resourceName: 'Protected notes (SDK 2.x)',
  });
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: { add_note: ['write'] },
  });
  // The gate sets req.auth; toNodeHandler hands it to tools as ctx.http.authInfo.
  app.all('/mcp', gate, (req: Request, res: Response) => mcp(req, res, req.body));
  // Last: malformed JSON and other errors become JSON-RPC errors, never an HTML stack trace.
  app.use(mcpErrorHandler());
  httpServer.on('request', app);
  return {
    url,
    close: async () => {
      const closed = once(httpServer, 'close');
      httpServer.close();
      httpServer.closeAllConnections();
      await closed;
      await verifier.close();
    },
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Set ${name}`);
  return value;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  startExampleServerV2({
    authServerUrl: required('AUTH_SERVER_URL'),
    introspectionEndpoint: required('INTROSPECTION_ENDPOINT'),
    clientId: required('INTROSPECTION_CLIENT_ID'),
    clientSecret: required('INTROSPECTION_CLIENT_SECRET'),
    port: Number(process.env.PORT ?? 3000),
  }).then(
    (running) => process.stdout.write(`Protected MCP server (SDK 2.x) at ${running.url}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
