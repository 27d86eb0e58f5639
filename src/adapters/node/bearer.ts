/**
 * `requireBearerAuth` for plain `node:http`: checks the `Authorization` header and the token
 * first, then reads the JSON body of an authenticated POST (size-limited, strictly decoded),
 * checks the tools it calls, and hands the verified token and the parsed body on, so the SDK
 * transport's `handleRequest(req, res, body)` runs exactly what the gate checked.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BearerAuthOptions,
  type BearerRequest,
  type BearerResult,
  createBearerGateSteps,
} from '../../http/bearer.js';
import { nodeDpopFields } from '../../http/dpop/request.js';
import { contentTypeProblem, decodeJsonRpcBody, unreadableBody } from '../../http/json-rpc-body.js';
import {
  authorizationValues,
  DEFAULT_MAX_BODY_BYTES,
  hasBody,
  headerValue,
  headerValues,
  readBodyThen,
  sendJson,
} from '../../http/node-io.js';
import { BODY_BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { resolvePositive } from '../../http/options.js';
import { setPassHeaders } from '../../http/response-headers.js';
import { assertKnownKeys } from '../../lib/option-keys.js';
import type { AuthInfo } from '../../types.js';

/** Options of the `node:http` `requireBearerAuth`. */
export interface NodeBearerAuthOptions extends BearerAuthOptions {
  /**
   * The largest request body read, in bytes (the SDK transport's own limit); a larger body of an
   * authenticated request gets 413. Nothing is read before the token is verified.
   * @default 4194304
   */
  readonly maxBodyBytes?: number;
}

/** A request that passed the gate. */
export interface NodeBearerAuthResult {
  /** The verified token (also set as `req.auth`). */
  readonly authInfo: AuthInfo;
  /**
   * The parsed JSON-RPC body of a POST (pass it to `transport.handleRequest(req, res, body)`),
   * or `undefined` for other methods (GET, DELETE), whose body is never read.
   */
  readonly body: unknown;
}

/** Resolves the passed request, or `undefined` once the refusal has been written to `res`. */
export type NodeBearerAuth = (
  req: IncomingMessage & { auth?: AuthInfo },
  res: ServerResponse,
) => Promise<NodeBearerAuthResult | undefined>;

type NodeBearerRequest = Omit<BearerRequest, 'body'>;

/**
 * The header fields and request line parts the gate reads, in one object of one shape; the DPoP
 * fields only when the gate checks DPoP proofs (no other step reads them).
 */
function nodeBearerRequest(req: IncomingMessage, readsDpop: boolean): NodeBearerRequest {
  const dpop = readsDpop ? nodeDpopFields(req) : undefined;
  return {
    authorization: authorizationValues(req),
    mcpMethod: headerValue(req, 'mcp-method'),
    mcpName: headerValue(req, 'mcp-name'),
    dpop: dpop?.dpop,
    method: dpop?.method,
    path: dpop?.path,
    mcpProtocolVersion: headerValue(req, 'mcp-protocol-version'),
  };
}

/** Unread bytes are never drained: the connection closes after the answer. */
function closeIfUnread(req: IncomingMessage): Readonly<Record<string, string>> {
  return hasBody(req) ? { Connection: 'close' } : {};
}

const TOO_LARGE = { error: 'invalid_request', error_description: 'The request body is too large' };

/**
 * Creates the `node:http` bearer gate. Same checks and answers as the Express middleware, in this
 * order: `Authorization` and the token (401/400/503/403, with the body still unread), then for a
 * POST the `Content-Type` (one `application/json` header, charset UTF-8 or none) and the body
 * (over `maxBodyBytes` → 413; not strict UTF-8 JSON-RPC → 400 JSON-RPC parse error), then the
 * tools the body calls (403). A refusal sent before the body was read closes the connection.
 * Headers of the pass (a fresh `DPoP-Nonce` when the proof's nonce is from the previous window,
 * RFC 9449 §8.2) are set on `res` before the gate resolves.
 *
 * @param options - See {@link NodeBearerAuthOptions}.
 * @returns The gate.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * const gate = requireBearerAuth({ verifier });
 * http.createServer(async (req, res) => {
 *   const passed = await gate(req, res);
 *   if (passed) await transport.handleRequest(req, res, passed.body);
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireBearerAuth(options: NodeBearerAuthOptions): NodeBearerAuth {
  assertKnownKeys(options, BODY_BEARER_AUTH_OPTIONS, 'requireBearerAuth');
  const maxBodyBytes = resolvePositive(
    options.maxBodyBytes,
    'maxBodyBytes',
    DEFAULT_MAX_BODY_BYTES,
  );
  const steps = createBearerGateSteps(options);
  const readsDpop = options.dpop !== undefined && options.dpop !== false;

  /** The body's checks and the tools it calls, once the token is known to be good. */
  function authorized(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    request: NodeBearerRequest,
    authInfo: AuthInfo,
    body: unknown,
  ): NodeBearerAuthResult | undefined {
    const second = steps.authorize(authInfo, request, body);
    if (!second.ok) {
      sendJson(res, second.response.status, second.response.headers, second.response.body);
      return undefined;
    }
    req.auth = second.authInfo;
    return { authInfo: second.authInfo, body };
  }

  /** Reads, decodes and authorizes the body of an authenticated POST. */
  function readThenAuthorize(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    request: NodeBearerRequest,
    authInfo: AuthInfo,
  ): Promise<NodeBearerAuthResult | undefined> {
    return readBodyThen(req, maxBodyBytes, (bytes) => {
      if (bytes === undefined) {
        sendJson(res, 413, { Connection: 'close' }, TOO_LARGE);
        return undefined;
      }
      const decoded = decodeJsonRpcBody(bytes);
      if (!decoded.ok) {
        sendJson(res, 400, {}, unreadableBody(decoded.reason).body);
        return undefined;
      }
      return authorized(req, res, request, authInfo, decoded.value);
    });
  }

  /** Everything after the token's verdict; a promise only while the body is read. */
  function afterAuthentication(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    request: NodeBearerRequest,
    first: BearerResult,
  ): NodeBearerAuthResult | undefined | Promise<NodeBearerAuthResult | undefined> {
    if (!first.ok) {
      const { status, headers, body } = first.response;
      sendJson(res, status, { ...headers, ...closeIfUnread(req) }, body);
      return undefined;
    }
    if (first.headers !== undefined) setPassHeaders(res, first.headers);
    if (req.method !== 'POST') return authorized(req, res, request, first.authInfo, undefined);
    const problem = contentTypeProblem(headerValues(req, 'content-type'));
    if (problem !== undefined) {
      sendJson(res, 400, closeIfUnread(req), unreadableBody(problem).body);
      return undefined;
    }
    return readThenAuthorize(req, res, request, first.authInfo);
  }

  return function bearerAuth(req, res) {
    try {
      const request = nodeBearerRequest(req, readsDpop);
      const first = steps.authenticateNow(request);
      if (first instanceof Promise) {
        return first.then((verdict) => afterAuthentication(req, res, request, verdict));
      }
      const after = afterAuthentication(req, res, request, first);
      return after instanceof Promise ? after : Promise.resolve(after);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}
