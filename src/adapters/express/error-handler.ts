/**
 * The Express error handler that belongs in front of (after) the MCP endpoint: a body that
 * `express.json()` cannot parse is answered with a JSON-RPC parse error, never Express's
 * default HTML page (which carries the stack and absolute paths unless `NODE_ENV` is
 * `production`) — issue 20, class 7.
 *
 * @module
 */

import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';

/** JSON-RPC 2.0 error codes used here. @see https://www.jsonrpc.org/specification#error_object */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const INTERNAL_ERROR = -32603;

function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = e?.status ?? e?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 600
    ? status
    : 500;
}

function reply(res: Response, status: number, code: number, message: string): void {
  res.status(status).type('application/json');
  res.send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * Creates an Express error handler that answers every error with a JSON-RPC 2.0 error object
 * and a fixed message — never a stack, a path or the error's own text:
 * - a body that does not parse as JSON (`express.json()`'s `entity.parse.failed`): HTTP 400,
 *   `-32700` "Parse error";
 * - any other 4xx from the body parser (too large, bad charset or encoding): that status,
 *   `-32600` "Invalid Request";
 * - anything else: HTTP 500, `-32603` "Internal error".
 *
 * When the response has already started, the error goes to Express (which closes the
 * connection).
 *
 * @returns The handler; mount it after the routes (Express runs error handlers last).
 * @example
 * ```ts
 * const app = createMcpExpressApp();
 * app.post('/mcp', requireBearerAuth({ verifier }), handler);
 * app.use(mcpErrorHandler());
 * ```
 * @see https://www.jsonrpc.org/specification#error_object
 */
export function mcpErrorHandler(): ErrorRequestHandler {
  return function mcpJsonRpcErrorHandler(
    err: unknown,
    _req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = statusOf(err);
    if ((err as { type?: unknown } | null)?.type === 'entity.parse.failed') {
      reply(res, 400, PARSE_ERROR, 'Parse error');
    } else if (status < 500) {
      reply(res, status, INVALID_REQUEST, 'Invalid Request');
    } else {
      reply(res, 500, INTERNAL_ERROR, 'Internal error');
    }
  };
}
