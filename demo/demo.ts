/**
 * `mcp-authflow-resource demo`: an embedded authorization server (the tests' `oidc-provider`
 * fixture, issuing opaque and RFC 9068 JWT access tokens), an MCP server protected by this
 * library and the SDK's real client, end to end on 127.0.0.1, with a checked transcript.
 *
 * @module
 * @internal
 */

import type { Logger, LogRecord } from '../src/index.js';
import type { AuthServer } from '../test/helpers/auth-server.js';
import { runDemoFlow } from './demo-flow.js';
import { type DemoServer, startDemoServer } from './demo-server.js';
import { DemoCheckError, Transcript, type TranscriptSink } from './transcript.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Keep both servers running after the scripted run, until SIGINT/SIGTERM. */
  readonly serve: boolean;
  /** Port of the MCP server; 0 picks a free one. */
  readonly port: number;
  /** The MCP SDK line the protected server runs on. @default 'v1' */
  readonly sdk?: 'v1' | 'v2';
  /** The transcript's destination. */
  readonly out: TranscriptSink;
  /** Warnings and errors that are not part of the transcript. */
  readonly err: TranscriptSink;
  readonly colour: boolean;
  /** Deadline of the scripted run, in ms. */
  readonly timeoutMs: number;
}

const MISSING_DEPS = `The demo needs the repository's development dependencies (oidc-provider runs the
embedded authorization server). From a clone of the repository, run:

  npm ci && npm run demo
`;

function isMissingProvider(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    String(e.message).includes('oidc-provider')
  );
}

async function startAuthServer(): Promise<AuthServer> {
  // Loaded lazily: the fixture (and oidc-provider, a dev dependency) is never part of the library.
  const fixture = await import('../test/helpers/auth-server.js');
  return fixture.startAuthServer({ scopes: ['read', 'write'] });
}

function demoLogger(events: LogRecord[], err: TranscriptSink): Logger {
  const record = (level: string) => (r: LogRecord) => {
    if (String(r.event_type ?? '').startsWith('friction_')) events.push(r);
    else if (level === 'warn' || level === 'error')
      err.write(`${JSON.stringify({ level, ...r })}\n`);
  };
  return { debug() {}, info: record('info'), warn: record('warn'), error: record('error') };
}

function deadline(ms: number): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new DemoCheckError(`the demo did not finish within ${ms / 1000} s`)),
      ms,
    );
  });
  return { promise, clear: () => clearTimeout(timer) };
}

function printServeHelp(out: Transcript, as: AuthServer, mcp: DemoServer): void {
  const { clientId, clientSecret } = as.clients.m2m;
  const resourceServer = as.clients.basic;
  out.line();
  out.line(out.paint('bold', 'Serving (Ctrl-C to stop). Friction state was reset; try it:'));
  out.detail(`authorization server  ${as.issuer}`);
  out.detail(`token endpoint        ${as.tokenEndpoint}`);
  out.detail(`introspection         ${as.introspectionEndpoint}`);
  out.detail(`MCP server            ${mcp.url}`);
  out.detail(
    `resource metadata     ${mcp.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}`,
  );
  out.detail(
    `client credentials    ${clientId} / ${clientSecret}  (an MCP client; scopes read write)`,
  );
  out.detail(
    `JWT client            ${as.clients.m2mJwt.clientId} / ${as.clients.m2mJwt.clientSecret}  (its tokens are RFC 9068 JWTs, checked with the issuer's keys)`,
  );
  out.detail(
    `introspection client  ${resourceServer.clientId} / ${resourceServer.clientSecret}  (the MCP server's own, client_secret_basic)`,
  );
  out.line();
  out.detail('Get a token, then call a tool with curl:');
  out.detail(
    `TOKEN=$(curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials \\\n` +
      `  -d 'scope=read write' -d 'resource=${mcp.url}' ${as.tokenEndpoint} \\\n` +
      `  | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
  );
  out.detail(
    `curl -s ${mcp.url} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n` +
      `  -H 'Accept: application/json, text/event-stream' \\\n` +
      `  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}'`,
  );
  out.detail('Inspect what the token sees:');
  out.detail(
    `curl -s -u '${resourceServer.clientId}:${resourceServer.clientSecret}' -d "token=$TOKEN" ${as.introspectionEndpoint}`,
  );
  out.detail(
    'Or with the MCP Inspector CLI (same token; 1.0.3 must run one folder below a package.json):',
  );
  out.detail(
    `(cd demo && npx -y @modelcontextprotocol/inspector-cli@1.0.3 --cli ${mcp.url} --transport http \\\n` +
      `  --header "Authorization: Bearer $TOKEN" --method tools/list)`,
  );
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function scripted(
  out: Transcript,
  options: DemoOptions,
  as: AuthServer,
  mcp: DemoServer,
  events: LogRecord[],
) {
  out.detail(`authorization server  ${as.issuer}  (oidc-provider, in process)`);
  out.detail(`MCP server            ${mcp.url}  (protected by mcp-authflow-resource)`);
  const timer = deadline(options.timeoutMs);
  try {
    await Promise.race([
      runDemoFlow({
        out,
        mcp,
        issuer: as.issuer,
        client: as.clients.m2m,
        jwtClient: as.clients.m2mJwt,
        introspectionCount: () => as.introspectionCount,
        events,
      }),
      timer.promise,
    ]);
  } finally {
    timer.clear();
  }
  out.line();
  out.line(out.paint('green', `All ${out.steps} steps behaved as expected.`));
}

/**
 * Runs the demo.
 *
 * @returns The process exit code: 0 when every step behaved as expected.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const out = new Transcript(options.out, options.colour);
  const line = options.sdk === 'v2' ? 'MCP SDK 2.x' : 'MCP SDK 1.x';
  out.line(out.paint('bold', `mcp-authflow-resource demo (server on ${line})`));
  let as: AuthServer;
  try {
    as = await startAuthServer();
  } catch (err) {
    if (!isMissingProvider(err)) throw err;
    options.err.write(MISSING_DEPS);
    return 1;
  }
  const events: LogRecord[] = [];
  let mcp: DemoServer | undefined;
  try {
    const start =
      options.sdk === 'v2'
        ? (await import('./demo-server-v2.js')).startDemoServerV2
        : startDemoServer;
    mcp = await start({
      issuer: as.issuer,
      introspectionEndpoint: as.introspectionEndpoint,
      clientId: as.clients.basic.clientId,
      clientSecret: as.clients.basic.clientSecret,
      port: options.port,
      logger: demoLogger(events, options.err),
    });
    await scripted(out, options, as, mcp, events);
    if (options.serve) {
      mcp.resetFriction();
      printServeHelp(out, as, mcp);
      await untilSignal();
      out.line('Stopped.');
    }
    return 0;
  } catch (err) {
    out.fail(
      err instanceof DemoCheckError
        ? `expected: ${err.message}`
        : `unexpected error: ${String(err)}`,
    );
    out.line();
    out.line(out.paint('red', `The demo failed at step ${out.steps}.`));
    return 1;
  } finally {
    await mcp?.close();
    await as.close();
  }
}
