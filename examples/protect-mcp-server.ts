/**
 * Example: an MCP server (the SDK's `McpServer` + `StreamableHTTPServerTransport` on Express)
 * that accepts only OAuth access tokens issued for it, verified by RFC 7662 introspection, and
 * tells MCP clients where to get them (RFC 9728).
 *
 * Tools: `whoami` (scope `read`) and `add_note` (scopes `read` and `write`).
 *
 * Run it against any authorization server with introspection:
 * ```sh
 * AUTH_SERVER_URL=https://auth.example.com \
 * INTROSPECTION_ENDPOINT=https://auth.example.com/token/introspection \
 * INTROSPECTION_CLIENT_ID=mcp-server INTROSPECTION_CLIENT_SECRET=… \
 * PORT=3000 npx tsx examples/protect-mcp-server.ts
 * ```
 *
 * @module
 */

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import {
  createLoggingMiddleware,
  mcpErrorHandler,
  normalizePath,
  registerOAuthDiscoveryEndpoints,
  requireBearerAuth,
} from '../src/express.js';
import type { Logger } from '../src/types.js';
import { IntrospectionTokenVerifier } from '../src/verify/introspection/verifier.js';

/** Options of {@link createApp}. */
export interface ExampleServerOptions {
  /** Public URL of the MCP endpoint, e.g. `https://mcp.example.com/mcp`. */
  readonly serverUrl: string;
  /** Issuer URL of the authorization server. */
  readonly authServerUrl: string;
  readonly introspectionEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Host name the server is reached by (DNS rebinding protection). @default '127.0.0.1' */
  readonly host?: string;
  /** Request log destination. @default JSON lines on stdout */
  readonly logger?: Logger;
  /** Called when a tool runs (tests use it to prove a refused call never ran). */
  readonly onToolCall?: (tool: string, authInfo: AuthInfo | undefined) => void;
}

/** The example application and what it owns. */
export interface ExampleApp {
  readonly app: Express;
  readonly verifier: IntrospectionTokenVerifier;
}

const SCOPES = ['read', 'write'];

function describeCaller(authInfo: AuthInfo | undefined): string {
  return JSON.stringify({ clientId: authInfo?.clientId, scopes: authInfo?.scopes ?? [] });
}

function buildMcpServer(options: ExampleServerOptions): McpServer {
  const server = new McpServer({ name: 'protected-notes', version: '1.0.0' });
  const notes: string[] = [];
  server.registerTool(
    'whoami',
    { description: 'Who is calling, with which scopes (needs "read")' },
    async (extra) => {
      options.onToolCall?.('whoami', extra.authInfo);
      return { content: [{ type: 'text', text: describeCaller(extra.authInfo) }] };
    },
  );
  server.registerTool(
    'add_note',
    { description: 'Store a note (needs "write")', inputSchema: { text: z.string() } },
    async ({ text }, extra) => {
      options.onToolCall?.('add_note', extra.authInfo);
      notes.push(text);
      return { content: [{ type: 'text', text: `stored note ${notes.length}` }] };
    },
  );
  return server;
}

/**
 * Builds the protected Express app: discovery documents, request logging, and `/mcp` behind the
 * bearer gate (stateless Streamable HTTP: one MCP server and transport per request).
 */
export function createApp(options: ExampleServerOptions): ExampleApp {
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: options.introspectionEndpoint,
    serverUrl: options.serverUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  const app = createMcpExpressApp({ host: options.host ?? '127.0.0.1' });
  app.use(createLoggingMiddleware(options.logger === undefined ? {} : { logger: options.logger }));
  app.use(normalizePath());
  registerOAuthDiscoveryEndpoints(app, {
    serverUrl: options.serverUrl,
    authServerPublicUrl: options.authServerUrl,
    scopes: SCOPES,
    resourceName: 'Protected notes',
  });
  const gate = requireBearerAuth({
    verifier,
    requiredScopes: ['read'],
    toolScopes: { add_note: ['write'] },
  });
  const path = new URL(options.serverUrl).pathname.replace(/\/+$/, '') || '/';
  app.all(path, gate, async (req: Request, res: Response) => {
    const server = buildMcpServer(options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  // Last: malformed JSON and other errors become JSON-RPC errors, never an HTML stack trace.
  app.use(mcpErrorHandler());
  return { app, verifier };
}

/** A running example server. */
export interface RunningExample {
  /** The MCP endpoint URL. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the example on `host:port` (port 0: a random free port), building `serverUrl` from the
 * address actually bound.
 */
export async function startExampleServer(
  options: Omit<ExampleServerOptions, 'serverUrl'> & { readonly port?: number },
): Promise<RunningExample> {
  const host = options.host ?? '127.0.0.1';
  const httpServer = createServer();
  httpServer.listen(options.port ?? 0, host);
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host}:${port}/mcp`;
  const { app, verifier } = createApp({ ...options, serverUrl: url });
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
  startExampleServer({
    authServerUrl: required('AUTH_SERVER_URL'),
    introspectionEndpoint: required('INTROSPECTION_ENDPOINT'),
    clientId: required('INTROSPECTION_CLIENT_ID'),
    clientSecret: required('INTROSPECTION_CLIENT_SECRET'),
    port: Number(process.env.PORT ?? 3000),
  }).then(
    (running) => process.stdout.write(`Protected MCP server at ${running.url}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
