/**
 * The Express applications under load: a plain JSON route, and an MCP server on the SDK's
 * Streamable HTTP transport (stateless: one `McpServer` and transport per request, as in
 * `examples/protect-mcp-server.ts`), each optionally behind `requireBearerAuth`.
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { requireBearerAuth } from '../../src/express.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { IntrospectionCacheOptions } from '../../src/verify/cache.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';

/** Where the verifier of a protected app introspects. */
export interface IntrospectionTarget {
  readonly endpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `false`: introspect every request. @default the verifier's default cache */
  readonly cache?: IntrospectionCacheOptions | false;
}

/** A listening app. */
export interface RunningApp {
  /** The protected (or plain) endpoint URL. */
  readonly url: string;
  close(): Promise<void>;
}

/** Binds an HTTP server on 127.0.0.1:0 first, then builds the app from the bound URL. */
async function listenThen(
  path: string,
  build: (url: string) => { handler: RequestListener; close?: () => Promise<void> },
): Promise<RunningApp> {
  const server: Server = createServer();
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${path}`;
  const built = build(url);
  server.on('request', built.handler);
  return {
    url,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      await built.close?.();
    },
  };
}

function gateFor(
  url: string,
  target: IntrospectionTarget | undefined,
): {
  gates: RequestHandler[];
  close?: () => Promise<void>;
} {
  if (target === undefined) return { gates: [] };
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: target.endpoint,
    serverUrl: url,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    logger: silentLogger,
    ...(target.cache === undefined ? {} : { cache: target.cache }),
  });
  const gate = requireBearerAuth({ verifier, requiredScopes: ['read'], logger: silentLogger });
  return { gates: [gate], close: () => verifier.close() };
}

/**
 * A JSON route `GET /data` (after `express.json()`), behind the bearer gate when `target` is set.
 */
export function startJsonApp(target?: IntrospectionTarget): Promise<RunningApp> {
  return listenThen('/data', (url) => {
    const { gates, close } = gateFor(url, target);
    const app = express();
    app.use(express.json());
    app.get('/data', ...gates, (_req: Request, res: Response) => {
      res.json({ ok: true, items: [1, 2, 3] });
    });
    return { handler: app, ...(close ? { close } : {}) };
  });
}

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who is calling' }, async (extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ clientId: extra.authInfo?.clientId }) }],
  }));
  return server;
}

/**
 * An MCP endpoint `POST /mcp` (stateless Streamable HTTP, SSE answers) with one tool `whoami`,
 * behind the bearer gate when `target` is set.
 */
export function startMcpApp(target?: IntrospectionTarget): Promise<RunningApp> {
  return listenThen('/mcp', (url) => {
    const { gates, close } = gateFor(url, target);
    const app = createMcpExpressApp({ host: '127.0.0.1' });
    app.post('/mcp', ...gates, async (req: Request, res: Response) => {
      const server = buildMcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    });
    return { handler: app, ...(close ? { close } : {}) };
  });
}
