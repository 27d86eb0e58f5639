/**
 * The demo's scripted client: the SDK's real MCP client (client credentials) against the
 * protected server, step by step, each step checked.
 *
 * @module
 * @internal
 */

import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { protectedResourceMetadataUrl } from '../src/index.js';
import type { DemoClient, DemoFlowContext } from './demo-context.js';
import { frictionSpam } from './demo-friction.js';
import { challengeParams, createHttpTrace, type Exchange, type HttpTrace } from './http-trace.js';
import { resultText, statusStyle } from './transcript.js';

/** A connected SDK client and its token provider. */
interface Connected {
  readonly client: Client;
  readonly provider: ClientCredentialsProvider;
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'curl-like', version: '0' },
  },
};

function describeExchange(ctx: DemoFlowContext, e: Exchange): string {
  const { out } = ctx;
  const who = e.url.origin === new URL(ctx.mcp.url).origin ? 'MCP' : 'AS ';
  const path = `${e.url.pathname}${e.url.search}`;
  const rpc = e.rpc === undefined ? '' : out.paint('dim', ` (${e.rpc})`);
  const status = out.paint(statusStyle(e.status), `${e.status}`);
  const line = `${out.paint('cyan', who)} ${e.method.padEnd(4)} ${path}${rpc} → ${status}`;
  return e.wwwAuthenticate === null
    ? line
    : `${line}\n      WWW-Authenticate: ${out.paint('yellow', e.wwwAuthenticate)}`;
}

async function connect(
  ctx: DemoFlowContext,
  trace: HttpTrace,
  scope: string,
  credentials: DemoClient = ctx.client,
): Promise<Connected> {
  const provider = new ClientCredentialsProvider({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope,
    expectedIssuer: ctx.issuer,
  });
  const client = new Client({ name: 'authflow-demo', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(ctx.mcp.url), {
    authProvider: provider,
    fetch: trace.fetch,
  });
  await client.connect(transport);
  return { client, provider };
}

async function unauthenticated(ctx: DemoFlowContext): Promise<string> {
  const { out, mcp } = ctx;
  out.step('A request without a token is refused');
  const res = await fetch(mcp.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(INITIALIZE),
  });
  await res.body?.cancel();
  const header = res.headers.get('www-authenticate');
  out.detail(
    `POST /mcp (initialize, no Authorization header) → ${out.paint(statusStyle(res.status), `${res.status}`)}`,
  );
  out.detail(`WWW-Authenticate: ${out.paint('yellow', header ?? '(none)')}`);
  const params = challengeParams(header);
  const expected = protectedResourceMetadataUrl(mcp.url);
  out.check(res.status === 401, '401 Unauthorized');
  out.check(params.resource_metadata === expected, 'the challenge points at the resource_metadata');
  out.check(
    params.error === undefined && params.scope === 'read',
    'no error code (RFC 6750 §3.1: no credentials) and scope="read"',
  );
  return expected;
}

async function discovery(ctx: DemoFlowContext, metadataUrl: string): Promise<void> {
  const { out, mcp } = ctx;
  out.step('Discovery: the protected resource metadata (RFC 9728)');
  const res = await fetch(metadataUrl);
  const doc = (await res.json()) as Record<string, unknown>;
  out.detail(
    `GET ${new URL(metadataUrl).pathname} → ${out.paint(statusStyle(res.status), `${res.status}`)}`,
  );
  out.note(JSON.stringify(doc, null, 2));
  const servers = doc.authorization_servers;
  out.check(res.status === 200 && doc.resource === mcp.url, `resource is ${mcp.url}`);
  out.check(
    Array.isArray(servers) && servers.length === 1 && servers[0] === ctx.issuer,
    `authorization_servers is [${ctx.issuer}]`,
  );
}

async function firstToken(ctx: DemoFlowContext, trace: HttpTrace): Promise<Connected> {
  const { out } = ctx;
  out.step('The SDK client connects: 401 → discovery → token (client credentials, scope "read")');
  const before = trace.exchanges.length;
  const connected = await connect(ctx, trace, 'read');
  const seen = trace.exchanges.slice(before);
  const tokens = connected.provider.tokens();
  out.check(seen[0]?.status === 401, 'the first request was refused with 401');
  out.check(
    seen.some((e) => e.url.pathname === '/token' && e.status === 200),
    `the client obtained an access token from ${ctx.issuer}/token`,
  );
  out.check(tokens?.scope === 'read', `the token carries scope "${tokens?.scope ?? ''}" only`);
  return connected;
}

async function listAndRead(ctx: DemoFlowContext, { client }: Connected): Promise<void> {
  const { out } = ctx;
  out.step('tools/list');
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  out.check(
    ['list_tasks', 'add_task', 'delete_task'].every((n) => names.includes(n)),
    `tools: ${names.join(', ')}`,
  );
  out.step('A read tool: list_tasks');
  const result = await client.callTool({ name: 'list_tasks', arguments: {} });
  out.detail(`result: ${resultText(result)}`);
  out.check(result.isError !== true, 'list_tasks ran with the "read" token');
}

async function stepUp(ctx: DemoFlowContext, trace: HttpTrace, { client }: Connected) {
  const { out, mcp } = ctx;
  out.step('The write tool with the "read" token: 403 insufficient_scope (step-up)');
  const before = trace.exchanges.length;
  const count = mcp.tasks.size;
  const error = await client.callTool({ name: 'add_task', arguments: { title: 'x' } }).then(
    () => undefined,
    (err: unknown) => err,
  );
  const refused = trace.exchanges.slice(before).find((e) => e.status === 403);
  const params = challengeParams(refused?.wwwAuthenticate ?? null);
  out.note('(the SDK retried once with a fresh token for its configured scope, and gave up)');
  out.check(
    error instanceof StreamableHTTPError && error.code === 403,
    'the SDK client surfaced HTTP 403',
  );
  out.check(params.error === 'insufficient_scope', 'error="insufficient_scope"');
  out.check(
    params.scope?.split(' ').includes('write') === true,
    `the challenge names the scopes to ask for: scope="${params.scope ?? ''}"`,
  );
  out.check(mcp.tasks.size === count, 'add_task did not run');
}

async function writeWithScope(ctx: DemoFlowContext, trace: HttpTrace): Promise<Connected> {
  const { out, mcp } = ctx;
  out.step('A token with the "write" scope: the write tool succeeds');
  const connected = await connect(ctx, trace, 'read write');
  const count = mcp.tasks.size;
  const result = await connected.client.callTool({
    name: 'add_task',
    arguments: { title: 'Try mcp-authflow-resource' },
  });
  out.detail(`result: ${resultText(result)}`);
  out.check(
    connected.provider.tokens()?.scope?.split(' ').sort().join(' ') === 'read write',
    'the new token carries scope "read write"',
  );
  out.check(result.isError !== true && mcp.tasks.size === count + 1, 'add_task ran');
  return connected;
}

function jwtPart(token: string, index: number): Record<string, unknown> {
  try {
    const part = token.split('.')[index] ?? '';
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function jwtAccessToken(ctx: DemoFlowContext, trace: HttpTrace): Promise<Connected> {
  const { out, mcp } = ctx;
  out.step('A JWT access token (RFC 9068) from a second client: checked locally, not introspected');
  const introspected = ctx.introspectionCount();
  const connected = await connect(ctx, trace, 'read', ctx.jwtClient);
  const token = connected.provider.tokens()?.access_token ?? '';
  const header = jwtPart(token, 0);
  const claims = jwtPart(token, 1);
  out.detail(`header: ${JSON.stringify({ alg: header.alg, typ: header.typ })}`);
  const { iss, aud, client_id, scope } = claims;
  out.detail(`claims: ${JSON.stringify({ iss, aud, client_id, scope })}`);
  const result = await connected.client.callTool({ name: 'list_tasks', arguments: {} });
  out.detail(`result: ${resultText(result)}`);
  out.check(
    header.typ === 'at+jwt' && typeof header.kid === 'string',
    `the token is a signed JWT (typ "at+jwt", alg "${String(header.alg)}")`,
  );
  out.check(
    iss === ctx.issuer && aud === mcp.url,
    'iss is the authorization server, aud this server',
  );
  out.check(result.isError !== true, 'list_tasks ran with the JWT');
  out.check(
    ctx.introspectionCount() === introspected,
    "no introspection request: the signature was checked with the issuer's JWKS",
  );
  return connected;
}

/**
 * Runs every step; throws `DemoCheckError` at the first expectation that does not hold.
 *
 * @param ctx - The servers, the client credentials and the transcript.
 */
export async function runDemoFlow(ctx: DemoFlowContext): Promise<void> {
  const trace = createHttpTrace();
  trace.onExchange = (e) => {
    // The client's optional GET stream (server-to-client messages) is not part of the story.
    if (!(e.method === 'GET' && e.url.pathname === '/mcp'))
      ctx.out.detail(describeExchange(ctx, e));
  };
  const open: Client[] = [];
  try {
    const metadataUrl = await unauthenticated(ctx);
    await discovery(ctx, metadataUrl);
    const reader = await firstToken(ctx, trace);
    open.push(reader.client);
    await listAndRead(ctx, reader);
    await stepUp(ctx, trace, reader);
    const writer = await writeWithScope(ctx, trace);
    open.push(writer.client);
    trace.onExchange = undefined;
    open.push((await jwtAccessToken(ctx, trace)).client);
    await frictionSpam(ctx, writer.client);
  } finally {
    trace.onExchange = undefined;
    await Promise.allSettled(open.map((c) => c.close()));
  }
}
