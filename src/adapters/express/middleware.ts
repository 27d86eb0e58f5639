/**
 * Express versions of the path normalisation and request logging middlewares.
 *
 * @module
 */

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  buildRequestLogRecord,
  type LoggingOptions,
  resolveLoggingOptions,
} from '../../http/logging.js';
import { stripTrailingSlashes } from '../../http/path.js';

/**
 * Creates Express middleware that routes `/mcp/` as `/mcp` (every trailing slash dropped; `/`
 * unchanged). Only `req.url` is rewritten; `req.originalUrl` keeps what the client sent.
 *
 * @returns The middleware; mount it before the routes.
 * @example
 * ```ts
 * app.use(normalizePath());
 * ```
 */
export function normalizePath(): RequestHandler {
  return function normalizePathMiddleware(req: Request, _res: Response, next: NextFunction): void {
    const normalized = stripTrailingSlashes(req.url);
    if (normalized !== req.url) req.url = normalized;
    next();
  };
}

/**
 * Creates Express middleware that logs one structured record per request when its response has
 * been sent: method, path, status, `durationMs`, `clientId` (from `req.auth`), masked query and
 * headers, and the masked body only with `dangerouslyLogBodies`.
 *
 * @param options - See {@link LoggingOptions}.
 * @returns The middleware; mount it first so it sees every request.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming the bad option.
 * @example
 * ```ts
 * app.use(createLoggingMiddleware({ logger }));
 * ```
 */
export function createLoggingMiddleware(options: LoggingOptions = {}): RequestHandler {
  const resolved = resolveLoggingOptions(options);
  return function requestLogger(req: Request, res: Response, next: NextFunction): void {
    const started = resolved.now();
    const url = req.originalUrl;
    let logged = false;
    const log = (): void => {
      if (logged) return;
      logged = true;
      const input = {
        method: req.method,
        url,
        status: res.statusCode,
        durationMs: resolved.now() - started,
        headers: req.headers,
        clientId: req.auth?.clientId,
        body: req.body as unknown,
      };
      resolved.logger.info(buildRequestLogRecord(input, resolved));
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
