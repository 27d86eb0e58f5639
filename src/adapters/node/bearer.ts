/**
 * `requireBearerAuth` for plain `node:http`: reads the JSON body itself (size-limited), runs the
 * bearer gate, and hands the verified token and the parsed body on, so the SDK transport's
 * `handleRequest(req, res, body)` can take them.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { type BearerAuthOptions, createBearerGate } from '../../http/bearer.js';
import {
  authorizationValues,
  DEFAULT_MAX_BODY_BYTES,
  headerValue,
  readJsonBody,
  sendJson,
} from '../../http/node-io.js';
import { BODY_BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { resolvePositive } from '../../http/options.js';
import { assertKnownKeys } from '../../lib/option-keys.js';

/** Options of the `node:http` `requireBearerAuth`. */
export interface NodeBearerAuthOptions extends BearerAuthOptions {
  /** The largest JSON body read, in bytes; larger bodies get 413. @default 4194304 */
  readonly maxBodyBytes?: number;
}

/** A request that passed the gate. */
export interface NodeBearerAuthResult {
  /** The verified token (also set as `req.auth`). */
  readonly authInfo: AuthInfo;
  /** The parsed JSON body, or `undefined` when the request had none (GET, DELETE). */
  readonly body: unknown;
}

/** Resolves the passed request, or `undefined` once the refusal has been written to `res`. */
export type NodeBearerAuth = (
  req: IncomingMessage & { auth?: AuthInfo },
  res: ServerResponse,
) => Promise<NodeBearerAuthResult | undefined>;

const PARSE_ERROR = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };

/**
 * Creates the `node:http` bearer gate. Same checks and answers as the Express middleware, plus
 * 413 for a body over `maxBodyBytes` and a JSON-RPC parse error (400) for a body that is not JSON.
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
  const gate = createBearerGate(options);
  return async function bearerAuth(req, res) {
    const read = await readJsonBody(req, maxBodyBytes);
    if (read.kind === 'too-large') {
      const body = { error: 'invalid_request', error_description: 'The request body is too large' };
      sendJson(res, 413, { Connection: 'close' }, body);
      return undefined;
    }
    const body = read.kind === 'json' ? read.value : undefined;
    const result = await gate({
      authorization: authorizationValues(req),
      body,
      mcpMethod: headerValue(req, 'mcp-method'),
      mcpName: headerValue(req, 'mcp-name'),
    });
    if (!result.ok) {
      sendJson(res, result.response.status, result.response.headers, result.response.body);
      return undefined;
    }
    if (read.kind === 'invalid') {
      sendJson(res, 400, {}, PARSE_ERROR);
      return undefined;
    }
    req.auth = result.authInfo;
    return { authInfo: result.authInfo, body };
  };
}
