/**
 * The stdio upstream of the gateway: a loopback Streamable HTTP endpoint that runs one stdio MCP
 * server process per MCP session. The gateway's reverse proxy forwards to {@link StdioUpstream.url}
 * exactly as it would to any HTTP upstream.
 *
 * @module
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { type StdioChild, spawnStdioChild } from './child.js';
import {
  KILL_GRACE_MS,
  type ResolvedStdioUpstreamOptions,
  resolveStdioUpstreamOptions,
  type StdioUpstreamOptions,
} from './options.js';
import { readJsonBody, replyError, SERVER_ERROR, SESSION_NOT_FOUND } from './replies.js';
import { createStdioSession, type StdioSession } from './session.js';

export type { StdioUpstreamOptions } from './options.js';

/** A running stdio upstream. */
export interface StdioUpstream {
  /** The MCP endpoint, `http://127.0.0.1:<ephemeral port>/mcp`. */
  readonly url: string;
  /** Stops accepting requests, ends every session and stops every process (SIGTERM, then SIGKILL). */
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';

/**
 * Starts the loopback endpoint. Each `initialize` without `Mcp-Session-Id` spawns the command and
 * opens a session; later requests of that session reach the same process; `DELETE` ends it.
 *
 * > [!WARNING]
 * > The endpoint has no authentication of its own: it listens on 127.0.0.1 only, refuses any
 * > `Host` but its own (DNS rebinding), and is meant to be reached only through the gateway.
 *
 * @param options - See {@link StdioUpstreamOptions}.
 * @returns The endpoint, once it listens.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad options (an
 *   unterminated quote in `command`, a `maxSessions` below 1, an unknown key).
 * @example
 * ```ts
 * const upstream = await startStdioUpstream({ command: 'python -m my_server --stdio' });
 * // proxy to upstream.url …
 * await upstream.close();
 * ```
 */
export async function startStdioUpstream(options: StdioUpstreamOptions): Promise<StdioUpstream> {
  const o = resolveStdioUpstreamOptions(options);
  const bridge = createBridge(o);
  const server = createServer((req, res) => {
    bridge.handle(req, res).catch((err: unknown) => {
      o.logger.error({ event: 'stdio_http_error', error: (err as Error)?.name ?? typeof err });
      if (!res.headersSent) replyError(res, 500, SERVER_ERROR, 'Internal Server Error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  bridge.allowHosts([`127.0.0.1:${port}`, `localhost:${port}`]);
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    close() {
      closed ??= (async () => {
        const stopped = new Promise((resolve) => server.close(resolve));
        await bridge.shutdown();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

interface Bridge {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  allowHosts(hosts: readonly string[]): void;
  shutdown(): Promise<void>;
}

function createBridge(o: ResolvedStdioUpstreamOptions): Bridge {
  const live = new Set<StdioSession>();
  const byId = new Map<string, StdioSession>();
  const spawning = new Set<Promise<StdioChild>>();
  let hosts = new Set<string>();
  let ordinal = 0;
  let shuttingDown = false;

  function startSession(child: StdioChild, context: Record<string, unknown>): StdioSession {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        byId.set(id, session);
      },
    });
    const session = createStdioSession({
      child,
      transport,
      idleTimeoutMs: o.idleTimeoutMs,
      killGraceMs: KILL_GRACE_MS,
      logger: o.logger,
      context,
      onEnd: () => {
        live.delete(session);
        if (transport.sessionId !== undefined) byId.delete(transport.sessionId);
      },
    });
    live.add(session);
    return session;
  }

  async function openSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    if (!body.ok) return replyError(res, body.status, body.code, body.message);
    if (!isJSONRPCRequest(body.value) || !isInitializeRequest(body.value)) {
      return replyError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
    }
    const requestId = (body.value as { id?: string | number }).id ?? null;
    if (shuttingDown) {
      return replyError(res, 503, SERVER_ERROR, 'Service Unavailable: shutting down', requestId);
    }
    if (live.size + spawning.size >= o.maxSessions) {
      o.logger.warn({ event: 'stdio_sessions_full', maxSessions: o.maxSessions });
      const message =
        `Service Unavailable: too many sessions (at most ${o.maxSessions} stdio MCP server ` +
        'processes run at once); try again later';
      return replyError(res, 503, SERVER_ERROR, message, requestId);
    }
    const context = { session: ++ordinal };
    const spawned = spawnStdioChild({ ...o, context });
    spawning.add(spawned);
    let child: StdioChild;
    try {
      child = await spawned;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      o.logger.error({ event: 'stdio_spawn_failed', ...context, program: o.argv[0], code });
      const message = 'Bad Gateway: the stdio MCP server could not be started';
      return replyError(res, 502, SERVER_ERROR, message, requestId);
    } finally {
      spawning.delete(spawned);
    }
    o.logger.info({ event: 'stdio_session_start', ...context, pid: child.pid });
    const session = startSession(child, context);
    if (shuttingDown) {
      await session.end('shutdown');
      return replyError(res, 503, SERVER_ERROR, 'Service Unavailable: shutting down', requestId);
    }
    await session.transport.handleRequest(req, res, body.value);
    // The transport refused the request (Accept, Content-Type, …): no session, no process.
    if (session.transport.sessionId === undefined) await session.end('rejected');
  }

  return {
    async handle(req, res) {
      if (!hosts.has(req.headers.host ?? '')) {
        return replyError(res, 403, SERVER_ERROR, 'Forbidden: invalid Host header');
      }
      if ((req.url ?? '').split('?')[0] !== MCP_PATH) {
        return replyError(res, 404, SERVER_ERROR, 'Not Found');
      }
      const sessionId = req.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const session = byId.get(sessionId);
        // Unknown or ended session: 404 tells the client to initialize again (spec, Session Management).
        if (session === undefined)
          return replyError(res, 404, SESSION_NOT_FOUND, 'Session not found');
        session.touch();
        return session.transport.handleRequest(req, res);
      }
      if (req.method === 'POST') return openSession(req, res);
      if (req.method === 'GET' || req.method === 'DELETE') {
        return replyError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
      }
      res.setHeader('allow', 'GET, POST, DELETE');
      return replyError(res, 405, SERVER_ERROR, 'Method Not Allowed');
    },
    allowHosts(list) {
      hosts = new Set(list);
    },
    async shutdown() {
      shuttingDown = true;
      await Promise.allSettled([...spawning]);
      await Promise.all([...live].map((session) => session.end('shutdown')));
    },
  };
}
