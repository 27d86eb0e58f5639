/**
 * `node:http` versions of the path normalisation and request logging middlewares.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildRequestLogRecord,
  type LoggingOptions,
  resolveLoggingOptions,
} from '../../http/logging.js';
import { stripTrailingSlashes } from '../../http/path.js';
import type { AuthInfo } from '../../types.js';

/** A `node:http` request as the gate leaves it. */
type GatedRequest = IncomingMessage & { auth?: AuthInfo; body?: unknown };

/**
 * Creates a function that rewrites `req.url` so `/mcp/` is routed as `/mcp` (every trailing
 * slash dropped; `/` unchanged; the query kept).
 *
 * @returns The function; call it first in your request listener.
 * @example
 * ```ts
 * const normalize = normalizePath();
 * http.createServer((req, res) => { normalize(req); … });
 * ```
 */
export function normalizePath(): (req: IncomingMessage) => void {
  return function normalizePathMiddleware(req) {
    if (req.url !== undefined) req.url = stripTrailingSlashes(req.url);
  };
}

/**
 * Creates a function that logs one structured record per request once its response is sent:
 * method, path, status, `durationMs`, `clientId` (from `req.auth`, set by the `node:http`
 * `requireBearerAuth`), masked query and headers; `req.body`, if you set it, only with
 * `dangerouslyLogBodies`.
 *
 * @param options - See {@link LoggingOptions}.
 * @returns The function; call it first in your request listener.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming the bad option.
 */
export function createLoggingMiddleware(
  options: LoggingOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveLoggingOptions(options);
  return function requestLogger(req: GatedRequest, res) {
    const started = resolved.now();
    const url = req.url ?? '/';
    let logged = false;
    const log = (): void => {
      if (logged) return;
      logged = true;
      const input = {
        method: req.method ?? 'GET',
        url,
        status: res.statusCode,
        durationMs: resolved.now() - started,
        headers: req.headers,
        clientId: req.auth?.clientId,
        body: req.body,
      };
      resolved.logger.info(buildRequestLogRecord(input, resolved));
    };
    res.once('finish', log);
    res.once('close', log);
  };
}
