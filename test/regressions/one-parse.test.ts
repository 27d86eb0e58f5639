/**
 * Issue 11 §1/§2: the gate and the SDK's real transport read one body. Every request below carries
 * a read-only token and calls the write tool in a form some parser could read; the tool must never
 * run, through the node:http, Express and fetch adapters.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerAuth as expressGate } from '../../src/adapters/express/bearer.js';
import { requireBearerAuth as fetchGate } from '../../src/adapters/fetch/bearer.js';
import { requireBearerAuth as nodeGate } from '../../src/adapters/node/bearer.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

const MCP_URL = 'http://127.0.0.1/mcp';
const toolScopes = { delete_task: ['write'] };
let as: AuthServer;
let verifier: IntrospectionTokenVerifier;
let readToken: string;
let writeToken: string;
let runs = 0;
const servers: Server[] = [];
const urls: Record<'node' | 'express', string> = { node: '', express: '' };

function mcpServer(): McpServer {
  const mcp = new McpServer({ name: 'one-parse', version: '1.0.0' });
  mcp.registerTool('delete_task', { description: 'write' }, async () => {
    runs += 1;
    return { content: [{ type: 'text', text: 'deleted' }] };
  });
  return mcp;
}

async function serve(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
) {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: MCP_URL,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
  });
  readToken = await as.issueToken({ scope: 'read', resource: MCP_URL });
  writeToken = await as.issueToken({ scope: 'read write', resource: MCP_URL });
  const node = nodeGate({ verifier, toolScopes, maxBodyBytes: 4096 });
  urls.node = await serve(async (req, res) => {
    const passed = await node(req, res);
    if (passed === undefined) return;
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await mcpServer().connect(transport);
    await transport.handleRequest(req, res, passed.body);
  });
  const app = express();
  app.use(express.json());
  app.post('/mcp', expressGate({ verifier, toolScopes }), async (req, res) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await mcpServer().connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  urls.express = await serve(app);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await verifier.close();
  await as.close();
});

const CALL = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'delete_task', arguments: {} },
};
const TEXT = JSON.stringify(CALL);
const utf16 = Buffer.from(`\ufeff${TEXT}`, 'utf16le');

/** [name, Content-Type value(s), body bytes] — each an attempt to run the write tool. */
const ATTACKS: readonly [string, string | string[] | undefined, Buffer][] = [
  ['UTF-8 BOM before the JSON', 'application/json', Buffer.from(`\ufeff${TEXT}`)],
  ['no-break space before application/json', '\u00a0application/json', Buffer.from(TEXT)],
  ['no-break space after application/json', 'application/json\u00a0', Buffer.from(TEXT)],
  ['text/plain', 'text/plain', Buffer.from(TEXT)],
  ['a +json media type', 'application/vnd.api+json', Buffer.from(TEXT)],
  ['a media type whose parameter names JSON', 'text/plain; a=application/json', Buffer.from(TEXT)],
  ['no Content-Type', undefined, Buffer.from(TEXT)],
  ['charset=utf-16le with a UTF-16 body', 'application/json; charset=utf-16le', utf16],
  ['charset=latin1', 'application/json; charset=iso-8859-1', Buffer.from(TEXT)],
  ['two Content-Type headers', ['application/json', 'text/plain'], Buffer.from(TEXT)],
  ['two Content-Type headers, JSON second', ['text/plain', 'application/json'], Buffer.from(TEXT)],
  ['a comma-joined Content-Type', 'application/json, text/plain', Buffer.from(TEXT)],
  [
    'a repeated charset parameter',
    'application/json; charset=utf-8; charset=utf-16',
    Buffer.from(TEXT),
  ],
  [
    'an invalid UTF-8 byte in a string',
    'application/json',
    Buffer.concat([Buffer.from(TEXT.slice(0, -2)), Buffer.from([0xff]), Buffer.from('}}')]),
  ],
  [
    'an overlong UTF-8 encoding',
    'application/json',
    Buffer.from([...Buffer.from(TEXT.slice(0, -1)), 0xc0, 0xaf, 0x7d]),
  ],
  ['a JSON string holding the call', 'application/json', Buffer.from(JSON.stringify(TEXT))],
];

function post(url: string, token: string, type: string | string[] | undefined, body: Buffer) {
  const headers: string[] = [
    'Host',
    new URL(url).host,
    'Authorization',
    `Bearer ${token}`,
    'Accept',
    'application/json, text/event-stream',
  ];
  for (const value of type === undefined ? [] : Array.isArray(type) ? type : [type]) {
    headers.push('Content-Type', value);
  }
  headers.push('Content-Length', String(body.byteLength));
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function viaFetch(token: string, type: string | string[] | undefined, body: Buffer) {
  const headers = new Headers({
    authorization: `Bearer ${token}`,
    accept: 'application/json, text/event-stream',
  });
  for (const value of type === undefined ? [] : Array.isArray(type) ? type : [type])
    headers.append('content-type', value);
  const request = new Request(MCP_URL, { method: 'POST', headers, body });
  const passed = await fetchGate({ verifier, toolScopes })(request);
  if (passed instanceof Response) return { status: passed.status, text: await passed.text() };
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await mcpServer().connect(transport);
  const res = await transport.handleRequest(passed.request, passed);
  return { status: res.status, text: await res.text() };
}

describe.each(['node', 'express', 'fetch'] as const)(
  'one parse through the %s adapter and the SDK transport',
  (adapter) => {
    const send = (token: string, type: string | string[] | undefined, body: Buffer) =>
      adapter === 'fetch' ? viaFetch(token, type, body) : post(urls[adapter], token, type, body);

    it('control: the write token runs the tool, the read token gets 403', async () => {
      const before = runs;
      const ok = await send(writeToken, 'application/json', Buffer.from(TEXT));
      expect(`${ok.status} ${ok.text}`).toContain('deleted');
      expect(ok.status).toBe(200);
      expect(runs).toBe(before + 1);
      expect(
        (await send(readToken, 'application/json; charset=UTF-8', Buffer.from(TEXT))).status,
      ).toBe(403);
      expect(runs).toBe(before + 1);
    });

    it.each(ATTACKS)('%s: refused, the write tool never runs', async (_name, type, body) => {
      const before = runs;
      const res = await send(readToken, type, body);
      expect([400, 403, 415]).toContain(res.status);
      expect(res.text).not.toContain('deleted');
      expect(runs).toBe(before);
    });

    it('nothing is answered before authentication: no token → 401 even with a bad body', async () => {
      const res = await send('', '\u00a0application/json', Buffer.from('{'));
      expect([400, 401]).toContain(res.status);
      expect(res.status).not.toBe(200);
    });
  },
);
