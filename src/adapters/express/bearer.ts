/**
 * `requireBearerAuth` for Express: the bearer gate as middleware. Sets `req.auth`, which the SDK's
 * `StreamableHTTPServerTransport` hands to tools as `extra.authInfo`.
 *
 * @module
 */

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  type BearerAuthOptions,
  type BearerResult,
  createBearerGateSteps,
} from '../../http/bearer.js';
import { nodeDpopFields } from '../../http/dpop/request.js';
import { contentTypeProblem, isJsonRpcShape, unreadableBody } from '../../http/json-rpc-body.js';
import { authorizationValues, headerValues } from '../../http/node-io.js';
import { BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { setPassHeaders } from '../../http/response-headers.js';
import { assertKnownKeys } from '../../lib/option-keys.js';
import type { AuthInfo } from '../../types.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified token, set by `requireBearerAuth`. */
    auth?: AuthInfo;
  }
}

/** Why the gate cannot read a POST's body, or `undefined` when `req.body` is what was sent. */
function bodyProblem(req: Request): string | undefined {
  const problem = contentTypeProblem(headerValues(req, 'content-type'));
  if (problem !== undefined) return problem;
  // A body parser that skipped the request left the stream unread: the transport would read it.
  if (!req.readableEnded || !isJsonRpcShape(req.body)) {
    return 'The request body was not parsed as JSON-RPC (mount express.json() before the gate)';
  }
  return undefined;
}

/**
 * Creates Express middleware that lets a request through only with a valid bearer token holding
 * the required scopes (and, for `tools/call`, the tool's scopes). It reads the already-parsed
 * `req.body`: mount `express.json()` first (the SDK's `createMcpExpressApp` does; its `limit`, by
 * default 100 KB, bounds the body), and pass that same value to the transport as its parsed body:
 * `transport.handleRequest(req, res, req.body)`. A POST whose body the gate cannot read as
 * JSON-RPC (a `Content-Type` other than one `application/json` header with charset UTF-8 or none,
 * a body the parser skipped) is refused with 400 after the token check.
 *
 * Refusals: 401 (no token: challenge without `error`; bad token: `invalid_token`), 400
 * (`invalid_request`; a JSON-RPC parse error for an unreadable body; JSON-RPC -32020 for a routing
 * header/body mismatch), 403 (`insufficient_scope`), 503 + `Retry-After` (authorization server
 * unavailable). A pass's headers (a fresh `DPoP-Nonce` when the proof's nonce is from the
 * previous window, RFC 9449 §8.2) are set on `res` before `next()`.
 *
 * @param options - See {@link BearerAuthOptions}.
 * @returns The middleware.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * app.post('/mcp', express.json(), requireBearerAuth({ verifier }), (req, res) =>
 *   transport.handleRequest(req, res, req.body),
 * );
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireBearerAuth(options: BearerAuthOptions): RequestHandler {
  assertKnownKeys(options, BEARER_AUTH_OPTIONS, 'requireBearerAuth');
  const steps = createBearerGateSteps(options);
  const send = (res: Response, answer: { status: number; headers?: object; body: unknown }) => {
    res
      .status(answer.status)
      .set(answer.headers ?? {})
      .json(answer.body);
  };
  return function bearerAuth(req: Request, res: Response, next: NextFunction): void {
    const request = {
      authorization: authorizationValues(req),
      mcpMethod: req.get('mcp-method'),
      mcpName: req.get('mcp-name'),
      ...nodeDpopFields(req),
      mcpProtocolVersion: req.get('mcp-protocol-version'),
    };
    const after = (first: BearerResult) => {
      if (!first.ok) return send(res, first.response);
      if (first.headers !== undefined) setPassHeaders(res, first.headers);
      const problem = req.method === 'POST' ? bodyProblem(req) : undefined;
      if (problem !== undefined) return send(res, unreadableBody(problem));
      const body: unknown = req.method === 'POST' ? req.body : undefined;
      const second = steps.authorize(first.authInfo, request, body);
      if (!second.ok) return send(res, second.response);
      req.auth = second.authInfo;
      next();
    };
    let first: BearerResult | Promise<BearerResult>;
    try {
      first = steps.authenticateNow(request);
    } catch (err) {
      next(err);
      return;
    }
    if (first instanceof Promise) first.then(after, next);
    else after(first);
  };
}
