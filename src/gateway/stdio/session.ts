/**
 * One MCP session of the stdio bridge: the Streamable HTTP side (the SDK's server transport, which
 * owns the SSE streams) wired to one stdio server process.
 *
 * @module
 * @internal
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */

import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type ProgressToken,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../types.js';
import type { StdioChild } from './child.js';

/** JSON-RPC "Internal error", sent for every call still open when the process goes away. */
const INTERNAL_ERROR = -32603;

/** Why a session ended (logged). */
export type SessionEndReason = 'exit' | 'idle' | 'deleted' | 'shutdown' | 'rejected';

/** What {@link createStdioSession} needs. */
export interface StdioSessionOptions {
  readonly child: StdioChild;
  readonly transport: StreamableHTTPServerTransport;
  readonly idleTimeoutMs: number;
  /** SIGTERM → SIGKILL bound when the session stops its process. */
  readonly killGraceMs: number;
  readonly logger: Logger;
  readonly context: Readonly<Record<string, unknown>>;
  /** Called once, when the session has ended and its process is gone. */
  readonly onEnd: () => void;
}

/** A live session. */
export interface StdioSession {
  readonly transport: StreamableHTTPServerTransport;
  /** Records client activity: an HTTP request for this session. */
  touch(): void;
  /** Ends the session: open calls get an error, the streams close, the process is stopped. */
  end(reason: SessionEndReason): Promise<void>;
}

/** `holder.progressToken` when it is a valid token: a request's `_meta`, a notification's `params`. */
function progressTokenIn(holder: unknown): ProgressToken | undefined {
  const token = (holder as { progressToken?: unknown } | undefined)?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/**
 * Bridges `transport` and `child` in both directions. Responses go back on the HTTP request that
 * asked; a progress notification goes on the stream of the request that carried its token; any
 * other message from the server (its own requests, logging) goes on the stream of the newest open
 * call, or on the standalone GET stream when no call is open.
 */
export function createStdioSession(o: StdioSessionOptions): StdioSession {
  const { child, transport, logger } = o;
  /** Client requests the server has not answered yet, oldest first, with their progress token. */
  const open = new Map<RequestId, ProgressToken | undefined>();
  const progress = new Map<ProgressToken, RequestId>();
  let lastActivity = Date.now();
  // Set before the teardown starts: closing the transport calls `onclose`, which calls end() again.
  let ending = false;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  let timer: NodeJS.Timeout | undefined;

  const settle = (id: RequestId) => {
    const token = open.get(id);
    if (token !== undefined) progress.delete(token);
    open.delete(id);
    lastActivity = Date.now();
  };

  const deliver = (message: JSONRPCMessage, relatedRequestId?: RequestId) => {
    transport.send(message, { relatedRequestId }).catch(() => {
      // The client went away from that stream; the message has nowhere to go.
      logger.debug({ event: 'stdio_message_undeliverable', ...o.context });
    });
  };

  transport.onmessage = (message) => {
    if (isJSONRPCRequest(message)) {
      const token = progressTokenIn(message.params?._meta);
      open.set(message.id, token);
      if (token !== undefined) progress.set(token, message.id);
    } else if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) settle(id);
    }
    child.send(message);
  };

  child.onmessage = (message) => {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      if (message.id !== undefined && open.has(message.id)) settle(message.id);
      deliver(message);
      return;
    }
    if (isJSONRPCNotification(message) && message.method === 'notifications/progress') {
      const token = progressTokenIn(message.params);
      deliver(message, token === undefined ? undefined : progress.get(token));
      return;
    }
    deliver(message, [...open.keys()].at(-1));
  };

  const arm = (delayMs: number) => {
    timer = setTimeout(() => {
      const idleFor = Date.now() - lastActivity;
      if (open.size > 0) arm(o.idleTimeoutMs);
      else if (idleFor >= o.idleTimeoutMs) void session.end('idle');
      else arm(o.idleTimeoutMs - idleFor);
    }, delayMs);
    timer.unref();
  };

  const teardown = async (reason: SessionEndReason) => {
    clearTimeout(timer);
    const openCalls = open.size;
    const message =
      reason === 'exit'
        ? 'The stdio MCP server exited before answering'
        : 'The session ended before the stdio MCP server answered';
    for (const id of [...open.keys()]) {
      settle(id);
      const error = { code: INTERNAL_ERROR, message };
      await transport.send({ jsonrpc: '2.0', id, error }).catch(() => undefined);
    }
    await transport.close();
    await child.stop(o.killGraceMs);
    o.onEnd();
    logger.info({ event: 'stdio_session_end', ...o.context, reason, openCalls });
  };

  const session: StdioSession = {
    transport,
    touch() {
      lastActivity = Date.now();
    },
    end(reason) {
      if (ending) return ended;
      ending = true;
      void teardown(reason)
        .catch((err: unknown) => {
          logger.error({ event: 'stdio_session_end_failed', ...o.context, error: String(err) });
        })
        .then(markEnded);
      return ended;
    },
  };

  transport.onclose = () => void session.end('deleted');
  transport.onerror = (err) => {
    logger.debug({ event: 'stdio_transport_error', ...o.context, error: err.message });
  };
  void child.exited.then(({ code, signal }) => {
    if (!ending) logger.warn({ event: 'stdio_process_exit', ...o.context, code, signal });
    return session.end('exit');
  });
  arm(o.idleTimeoutMs);
  return session;
}
