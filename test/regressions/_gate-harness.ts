/**
 * Test harness for issue 11 regressions: one verifier behind the three real gate adapters
 * (`node:http`, Express, Web-standard fetch), each handing the checked body to the SDK's real
 * Streamable HTTP transport, and an `McpServer` whose tools count their runs. Optional request
 * logging (node and Express) and friction.
 */

import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import express from 'express';
import { requireBearerAuth as expressGate } from '../../src/adapters/express/bearer.js';
import { createLoggingMiddleware as expressLogging } from '../../src/adapters/express/middleware.js';
import { requireBearerAuth as fetchGate } from '../../src/adapters/fetch/bearer.js';
import { requireBearerAuth as nodeGate } from '../../src/adapters/node/bearer.js';
import { createLoggingMiddleware as nodeLogging } from '../../src/adapters/node/middleware.js';
import type { FrictionKeyBy } from '../../src/friction/client-key.js';
import type { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import type { Logger } from '../../src/types.js';

export const ADAPTERS = ['node', 'express', 'fetch'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** Tools of the test server: `read_notes` (no extra scope) and `delete_task` (`write`). */
export const TOOL_SCOPES = { delete_task: ['write'] };

export interface HarnessOptions {
  readonly verifier: OAuthTokenVerifier;
  /** The resource URL the fetch adapter's requests are addressed to. */
  readonly serverUrl: string;
  /** Request logging (node and Express adapters), bodies included. */
  readonly logger?: Logger;
  readonly registry?: FrictionRegistry;
  readonly keyBy?: FrictionKeyBy;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  /** Raw query string, without `?`. */
  readonly query?: string;
}

export interface Harness {
  /** Runs of each tool so far. */
  readonly runs: Map<string, number>;
  send(
    adapter: AdapterName,
    token: string,
    body: unknown,
    options?: SendOptions,
  ): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

/** A `tools/call` JSON-RPC request. */
export function call(name: string, args: Record<string, unknown> = {}, id = 1) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const runs = new Map<string, number>();
  const servers: Server[] = [];
  const mcpServer = () => {
    const plain = new McpServer({ name: 'issue-11', version: '1.0.0' });
    const mcp =
      options.registry === undefined
        ? plain
        : withFriction(plain, options.registry, {
            ...(options.keyBy === undefined ? {} : { keyBy: options.keyBy }),
          });
    for (const tool of ['read_notes', 'delete_task']) {
      mcp.registerTool(tool, { description: tool }, async () => {
        runs.set(tool, (runs.get(tool) ?? 0) + 1);
        return { content: [{ type: 'text', text: `${tool} ran` }] };
      });
    }
    return mcp;
  };
  const listen = async (server: Server) => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  };
  const { verifier } = options;
  const node = nodeGate({ verifier, toolScopes: TOOL_SCOPES });
  const nodeLog =
    options.logger && nodeLogging({ logger: options.logger, dangerouslyLogBodies: true });
  const nodeUrl = await listen(
    createServer(async (req, res) => {
      nodeLog?.(req, res);
      const passed = await node(req, res);
      if (passed === undefined) return;
      (req as { body?: unknown }).body = passed.body;
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await mcpServer().connect(transport);
      await transport.handleRequest(req, res, passed.body);
    }),
  );
  const app = express();
  app.use(express.json());
  if (options.logger) {
    app.use(expressLogging({ logger: options.logger, dangerouslyLogBodies: true }));
  }
  app.post('/mcp', expressGate({ verifier, toolScopes: TOOL_SCOPES }), async (req, res) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await mcpServer().connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  const expressUrl = await listen(createServer(app));
  const fetch = fetchGate({ verifier, toolScopes: TOOL_SCOPES });
  const urls = { node: nodeUrl, express: expressUrl };

  async function viaFetch(token: string, body: unknown, send: SendOptions) {
    const headers = new Headers({
      ...send.headers,
      authorization: `Bearer ${token}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
    });
    const url = `${options.serverUrl}${send.query === undefined ? '' : `?${send.query}`}`;
    const request = new Request(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const passed = await fetch(request);
    if (passed instanceof Response) return { status: passed.status, text: await passed.text() };
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await mcpServer().connect(transport);
    const res = await transport.handleRequest(passed.request, passed);
    return { status: res.status, text: await res.text() };
  }

  function viaHttp(url: string, token: string, body: unknown, send: SendOptions) {
    const bytes = Buffer.from(JSON.stringify(body));
    const headers = {
      ...send.headers,
      authorization: `Bearer ${token}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'content-length': String(bytes.byteLength),
    };
    const target = `${url}${send.query === undefined ? '' : `?${send.query}`}`;
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(target, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(bytes);
    });
  }

  return {
    runs,
    send: (adapter, token, body, send = {}) =>
      adapter === 'fetch' ? viaFetch(token, body, send) : viaHttp(urls[adapter], token, body, send),
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}
