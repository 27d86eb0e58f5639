/**
 * Test fixture: a protected MCP server (one `whoami` tool) behind `requireBearerAuth({ dpop })` of
 * one adapter (Express, `node:http`, or fetch bridged from `node:http`), on 127.0.0.1, plus
 * `rawPost` to send hand-made requests (several header lines included) to it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { requireBearerAuth as fetchGate } from '../../../src/adapters/fetch/bearer.js';
import { requireBearerAuth as expressGate } from '../../../src/express.js';
import type { DpopOptions } from '../../../src/http/dpop/options.js';
import { requireBearerAuth as nodeGate } from '../../../src/node.js';

export type AdapterKind = 'express' | 'node' | 'fetch';

export interface DpopResource {
  readonly url: string;
  /** `AuthInfo` of every tool call that ran. */
  readonly seen: (AuthInfo | undefined)[];
  close(): Promise<void>;
}

function mcpServer(seen: (AuthInfo | undefined)[]): McpServer {
  const server = new McpServer({ name: 'dpop-e2e', version: '1.0.0' });
  server.registerTool('whoami', { description: 'caller' }, async (extra) => {
    seen.push(extra.authInfo);
    return { content: [{ type: 'text', text: extra.authInfo?.clientId ?? '' }] };
  });
  return server;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toWebRequest(req: IncomingMessage, origin: string, body: Buffer): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && body.length > 0;
  return new Request(`${origin}${req.url}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

type Handler = (server: Server, origin: string) => void;

function handlerFor(
  kind: AdapterKind,
  options: { verifier: OAuthTokenVerifier; serverUrl: string; dpop: DpopOptions },
  seen: (AuthInfo | undefined)[],
): Handler {
  const gateOptions = { ...options, requiredScopes: ['read'] };
  if (kind === 'express') {
    const gate = expressGate(gateOptions);
    const app = createMcpExpressApp({ host: '127.0.0.1' });
    app.all('/mcp', gate, async (req: ExpressRequest, res: ExpressResponse) => {
      const mcp = mcpServer(seen);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void mcp.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res, req.body);
    });
    return (server) => server.on('request', app);
  }
  if (kind === 'node') {
    const gate = nodeGate(gateOptions);
    return (server) =>
      server.on('request', async (req, res) => {
        const passed = await gate(req, res);
        if (passed === undefined) return;
        const mcp = mcpServer(seen);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => void mcp.close());
        await mcp.connect(transport);
        await transport.handleRequest(req, res, passed.body);
      });
  }
  const gate = fetchGate(gateOptions);
  return (server, origin) =>
    server.on('request', async (req, res) => {
      const passed = await gate(toWebRequest(req, origin, await readAll(req)));
      let response: Response;
      if (passed instanceof Response) response = passed;
      else {
        const mcp = mcpServer(seen);
        const transport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        });
        await mcp.connect(transport);
        response = await transport.handleRequest(passed.request, passed);
        await mcp.close();
      }
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
}

/**
 * Starts one protected MCP server. `verifier` is built from the URL, which the listening
 * server only knows once it has a port.
 */
export async function startDpopResource(
  kind: AdapterKind,
  verifierFor: (url: string) => OAuthTokenVerifier & { close?(): Promise<void> },
  dpop: DpopOptions,
): Promise<DpopResource> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const verifier = verifierFor(url);
  const seen: (AuthInfo | undefined)[] = [];
  handlerFor(kind, { verifier, serverUrl: url, dpop }, seen)(server, origin);
  return {
    url,
    seen,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      await verifier.close?.();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** POSTs a `tools/call` of `whoami` with exactly the given header lines (arrays: several lines). */
export function rawPost(
  url: string,
  headers: Record<string, string | string[]>,
  path?: string,
): Promise<RawResponse> {
  const target = new URL(url);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'whoami', arguments: {} },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: path ?? target.pathname,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
