/**
 * `requireBearerAuth` for Express: the bearer gate as middleware. Sets `req.auth`, which the SDK's
 * `StreamableHTTPServerTransport` hands to tools as `extra.authInfo`.
 *
 * @module
 */

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type BearerAuthOptions, createBearerGate } from '../../http/bearer.js';
import { authorizationValues } from '../../http/node-io.js';
import { BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { assertKnownKeys } from '../../lib/option-keys.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified token, set by `requireBearerAuth`. */
    auth?: AuthInfo;
  }
}

/**
 * Creates Express middleware that lets a request through only with a valid bearer token holding
 * the required scopes (and, for `tools/call`, the tool's scopes). It reads the already-parsed
 * `req.body`: mount `express.json()` first (the SDK's `createMcpExpressApp` does).
 *
 * Refusals: 401 (no token: challenge without `error`; bad token: `invalid_token`), 400
 * (`invalid_request`; or JSON-RPC -32020 for a routing header/body mismatch), 403
 * (`insufficient_scope`), 503 + `Retry-After` (authorization server unavailable).
 *
 * @param options - See {@link BearerAuthOptions}.
 * @returns The middleware.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * app.post('/mcp', requireBearerAuth({ verifier, requiredScopes: ['read'] }), mcpHandler);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireBearerAuth(options: BearerAuthOptions): RequestHandler {
  assertKnownKeys(options, BEARER_AUTH_OPTIONS, 'requireBearerAuth');
  const gate = createBearerGate(options);
  return function bearerAuth(req: Request, res: Response, next: NextFunction): void {
    gate({
      authorization: authorizationValues(req),
      body: req.body,
      mcpMethod: req.get('mcp-method'),
      mcpName: req.get('mcp-name'),
    }).then((result) => {
      if (result.ok) {
        req.auth = result.authInfo;
        next();
        return;
      }
      res.status(result.response.status).set(result.response.headers).json(result.response.body);
    }, next);
  };
}
