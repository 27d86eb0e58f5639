/**
 * `requireBearerAuth` for Web-standard `Request`/`Response` (Hono, Bun, Deno, workers, the SDK's
 * web-standard transport): the bearer gate as a function that returns `AuthInfo` or the
 * `Response` to send instead.
 *
 * @module
 */

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { type BearerAuthOptions, createBearerGate } from '../../http/bearer.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../http/node-io.js';
import { BODY_BEARER_AUTH_OPTIONS } from '../../http/option-keys.js';
import { resolvePositive } from '../../http/options.js';
import { assertKnownKeys } from '../../lib/option-keys.js';

/** Options of the fetch `requireBearerAuth`. */
export interface FetchBearerAuthOptions extends BearerAuthOptions {
  /** The largest JSON body inspected, in bytes; larger bodies get 413. @default 4194304 */
  readonly maxBodyBytes?: number;
}

/** Resolves the caller's `AuthInfo`, or the `Response` to send instead. */
export type FetchBearerAuth = (request: Request) => Promise<AuthInfo | Response>;

const TOO_LARGE = Symbol('too-large');

async function readBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(request.method) && request.body !== null;
  if (!hasBody || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) return undefined;
  if (Number(request.headers.get('content-length') ?? Number.NaN) > maxBytes) return TOO_LARGE;
  const reader = (request.clone().body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // A tee branch's cancel() settles only once both branches are cancelled: do not wait.
      reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function jsonResponse(status: number, headers: Record<string, string>, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json' },
  });
}

/**
 * Creates the bearer gate for Web-standard requests. The body is read from a clone (the original
 * stays readable for the MCP handler); an unparseable body is left for the handler to refuse.
 *
 * @param options - See {@link FetchBearerAuthOptions}.
 * @returns The gate: `AuthInfo` when the request may proceed, otherwise the refusal (400, 401, 403,
 *   413 or 503) as a `Response`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * const gate = requireBearerAuth({ verifier, serverUrl: 'https://mcp.example.com/mcp' });
 * const result = await gate(request);
 * if (result instanceof Response) return result;
 * return transport.handleRequest(request, { authInfo: result });
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
  const gate = createBearerGate(options);
  return async function bearerAuth(request) {
    const body = await readBody(request, maxBodyBytes);
    if (body === TOO_LARGE) {
      const error = {
        error: 'invalid_request',
        error_description: 'The request body is too large',
      };
      return jsonResponse(413, {}, error);
    }
    const result = await gate({
      authorization: request.headers.get('authorization'),
      body,
      mcpMethod: request.headers.get('mcp-method') ?? undefined,
      mcpName: request.headers.get('mcp-name') ?? undefined,
    });
    if (result.ok) return result.authInfo;
    return jsonResponse(
      result.response.status,
      { ...result.response.headers },
      result.response.body,
    );
  };
}
