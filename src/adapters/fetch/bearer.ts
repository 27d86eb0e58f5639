/**
 * `requireBearerAuth` for Web-standard `Request`/`Response` (Hono, Bun, Deno, workers, the SDK's
 * web-standard transport): the bearer gate as a function that resolves the verified token with
 * the parsed body, or the `Response` to send instead.
 *
 * @module
 */

import { type BearerAuthOptions, createBearerGateSteps } from '../../http/bearer.js';
import { fetchDpopFields } from '../../http/dpop/request.js';
import { contentTypeProblem, decodeJsonRpcBody, unreadableBody } from '../../http/json-rpc-body.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../http/node-io.js';
import { BODY_BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { resolvePositive } from '../../http/options.js';
import { withPassHeaders } from '../../http/response-headers.js';
import { assertKnownKeys } from '../../lib/option-keys.js';
import type { AuthInfo } from '../../types.js';

/** Options of the fetch `requireBearerAuth`. */
export interface FetchBearerAuthOptions extends BearerAuthOptions {
  /**
   * The largest request body read, in bytes (the SDK transport's own limit); a larger body of an
   * authenticated request gets 413. Nothing is read before the token is verified.
   * @default 4194304
   */
  readonly maxBodyBytes?: number;
}

/**
 * A request that passed the gate. Its shape is the options object of the SDK's
 * `WebStandardStreamableHTTPServerTransport.handleRequest(request, { authInfo, parsedBody })`.
 */
export interface FetchBearerAuthResult {
  /** The verified token. */
  readonly authInfo: AuthInfo;
  /**
   * The parsed JSON-RPC body of a POST: the exact value the gate checked. Hand it to the
   * transport; the original request's body has been consumed. `undefined` for GET and DELETE.
   */
  readonly parsedBody: unknown;
  /**
   * The request rebuilt from the exact bytes checked (the original itself when no body was
   * read), for handlers that cannot take a parsed body.
   */
  readonly request: Request;
  /**
   * Adds the gate's headers to the handler's `Response` (a fresh `DPoP-Nonce`, exposed to
   * browsers, when the proof's nonce is from the previous window: RFC 9449 §8.2). Returns the
   * same response when there are none or its headers can be changed, a copy when they are
   * immutable. Call it on whatever the handler answers.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
   */
  readonly finish: (response: Response) => Response;
}

/** Resolves the passed request, or the `Response` to send instead. */
export type FetchBearerAuth = (request: Request) => Promise<FetchBearerAuthResult | Response>;

const TOO_LARGE = Symbol('too-large');

async function readBytes(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | typeof TOO_LARGE> {
  if (Number(request.headers.get('content-length')) > maxBytes) return TOO_LARGE;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const unchanged = (response: Response): Response => response;

function jsonResponse(status: number, headers: object, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json' },
  });
}

/**
 * Creates the bearer gate for Web-standard requests. Order: `Authorization` and the token
 * (401/400/503/403, with the body unread), then for a POST the `Content-Type` (one
 * `application/json` value, charset UTF-8 or none) and the body (over `maxBodyBytes` → 413; not
 * strict UTF-8 JSON-RPC → 400 JSON-RPC parse error), then the tools the body calls (403).
 *
 * @param options - See {@link FetchBearerAuthOptions}.
 * @returns The gate: {@link FetchBearerAuthResult} when the request may proceed, otherwise the
 *   refusal (400, 401, 403, 413 or 503) as a `Response`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * const gate = requireBearerAuth({ verifier, serverUrl: 'https://mcp.example.com/mcp' });
 * const passed = await gate(request);
 * if (passed instanceof Response) return passed;
 * return passed.finish(await transport.handleRequest(passed.request, passed)); // { authInfo, parsedBody }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireBearerAuth(options: FetchBearerAuthOptions): FetchBearerAuth {
  assertKnownKeys(options, BODY_BEARER_AUTH_OPTIONS, 'requireBearerAuth');
  const maxBodyBytes = resolvePositive(
    options.maxBodyBytes,
    'maxBodyBytes',
    DEFAULT_MAX_BODY_BYTES,
  );
  const steps = createBearerGateSteps(options);
  return async function bearerAuth(request) {
    const headers = {
      authorization: request.headers.get('authorization'),
      mcpMethod: request.headers.get('mcp-method') ?? undefined,
      mcpName: request.headers.get('mcp-name') ?? undefined,
      ...fetchDpopFields(request),
      mcpProtocolVersion: request.headers.get('mcp-protocol-version') ?? undefined,
    };
    const first = await steps.authenticate(headers);
    if (!first.ok) {
      return jsonResponse(first.response.status, first.response.headers, first.response.body);
    }
    const added = first.headers;
    const pass = added ?? {};
    let parsedBody: unknown;
    let forward = request;
    if (request.method === 'POST') {
      // Headers joins repeated values with ", ", which the strict parser refuses.
      const type = request.headers.get('content-type');
      const problem = contentTypeProblem(type === null ? [] : [type]);
      if (problem !== undefined) return jsonResponse(400, pass, unreadableBody(problem).body);
      const bytes = await readBytes(request, maxBodyBytes);
      if (bytes === TOO_LARGE) {
        const error = {
          error: 'invalid_request',
          error_description: 'The request body is too large',
        };
        return jsonResponse(413, pass, error);
      }
      const decoded = decodeJsonRpcBody(bytes);
      if (!decoded.ok) return jsonResponse(400, pass, unreadableBody(decoded.reason).body);
      parsedBody = decoded.value;
      forward = new Request(request.url, {
        method: 'POST',
        headers: request.headers,
        body: bytes as Uint8Array<ArrayBuffer>,
        signal: request.signal,
      });
    }
    const second = steps.authorize(first.authInfo, headers, parsedBody);
    if (!second.ok) {
      const { status, headers, body } = second.response;
      return jsonResponse(status, { ...pass, ...headers }, body);
    }
    const finish =
      added === undefined ? unchanged : (response: Response) => withPassHeaders(response, added);
    return { authInfo: second.authInfo, parsedBody, request: forward, finish };
  };
}
