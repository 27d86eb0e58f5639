/**
 * The framework-free bearer gate: header value(s) and JSON-RPC body in, `AuthInfo` or the exact
 * HTTP refusal out. The Express, `node:http` and fetch adapters only translate.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */

import { AuthflowError, TokenRejectedError } from '../errors.js';
import { authOutcomeOf, countAuthOutcomes } from '../telemetry/gate.js';
import { recordAuthRequest } from '../telemetry/metrics.js';
import type { AuthInfo } from '../types.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import { hasScopes, neededScopes, unexpired, verifiedNow } from './bearer-hit.js';
import {
  type BearerAuthOptions,
  type ResolvedBearerAuthOptions,
  resolveBearerAuthOptions,
} from './bearer-options.js';
import { type AuthErrorResponse, authErrorResponse } from './challenge.js';
import { dpopNonceHeaders, type PresentedScheme } from './dpop/challenge.js';
import type { DpopGate } from './dpop/gate.js';
import type { DpopRequestFields } from './dpop/request.js';
import { McpHeaderMismatchError, type ToolCallCheck } from './json-rpc.js';
import { checkRouting } from './modern-headers.js';

export type { BearerAuthOptions } from './bearer-options.js';

/** What the gate looks at in one request (the DPoP fields matter only with `dpop` on). */
export interface BearerRequest extends Partial<DpopRequestFields> {
  /** The `Authorization` header value(s) as received. */
  readonly authorization: string | readonly string[] | null | undefined;
  /** The parsed JSON body, or `undefined` when there is none. */
  readonly body?: unknown;
  /** The `Mcp-Method` header (MCP 2026-07-28), when present. */
  readonly mcpMethod?: string | undefined;
  /** The `Mcp-Name` header (MCP 2026-07-28), when present. */
  readonly mcpName?: string | undefined;
  /**
   * The `MCP-Protocol-Version` header, when present. The revision is also read from the body's
   * `_meta` envelope; from 2026-07-28 on, `Mcp-Method` (and `Mcp-Name` where it applies) are
   * required.
   */
  readonly mcpProtocolVersion?: string | undefined;
}

/** What {@link checkRouting} answers for a request with no body and no routing header. */
const NO_TOOL_CALLS: ToolCallCheck = Object.freeze({ ok: true, tools: Object.freeze([]) });

function routingOf(request: Omit<BearerRequest, 'body'>, body: unknown): ToolCallCheck {
  if (body === undefined && request.mcpMethod === undefined && request.mcpName === undefined) {
    return NO_TOOL_CALLS;
  }
  return checkRouting(body, {
    method: request.mcpMethod,
    name: request.mcpName,
    protocolVersion: request.mcpProtocolVersion,
  });
}

/**
 * The gate's verdict: the caller's `AuthInfo` (and any headers the response must carry), or the
 * response to send instead.
 */
export type BearerResult =
  | {
      readonly ok: true;
      readonly authInfo: AuthInfo;
      /**
       * Headers for the response of the passed request, set before the protected handler runs.
       * Only the DPoP step sets them: a fresh `DPoP-Nonce` (exposed to browsers) when the proof
       * carried the previous window's nonce (RFC 9449 §8.2). Absent on every other pass.
       *
       * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
       */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly response: AuthErrorResponse };

/** The framework-free gate returned by {@link createBearerGate}. */
export type BearerGate = (request: BearerRequest) => Promise<BearerResult>;

async function verify(o: ResolvedBearerAuthOptions, token: string): Promise<AuthInfo> {
  const authInfo = await o.verifier.verifyAccessToken(token);
  if (!unexpired(authInfo, o.now())) {
    throw new TokenRejectedError('ERR_TOKEN_EXPIRED', 'The access token has expired');
  }
  return authInfo;
}

/**
 * The gate in two steps, so an adapter can verify the token before it reads any of the body.
 * {@link createBearerGate} runs both on a request whose body is already known.
 */
export interface BearerGateSteps {
  /**
   * Checks the `Authorization` header and verifies the token: missing → 401 without `error`;
   * malformed → 400; bad token → 401 `invalid_token`; authorization server down → 503; a token
   * without `requiredScopes` (plus the scopes of the tool the `Mcp-Name` header names) → 403.
   */
  authenticate(request: Omit<BearerRequest, 'body'>): Promise<BearerResult>;
  /**
   * {@link BearerGateSteps.authenticate} without a promise when the verdict is known at once (a
   * token whose accepted verdict is cached in memory, or headers that alone refuse the request);
   * a promise otherwise. The same verdicts and telemetry.
   */
  authenticateNow(request: Omit<BearerRequest, 'body'>): BearerResult | Promise<BearerResult>;
  /**
   * Checks the body of an authenticated request: routing headers against the body (mismatch, or
   * missing on a 2026-07-28 request → 400, JSON-RPC -32020) and the `toolScopes` of every tool called (missing → 403).
   * Never sets `headers`: the adapter applies those of the first step's pass.
   */
  authorize(authInfo: AuthInfo, request: Omit<BearerRequest, 'body'>, body: unknown): BearerResult;
}

function refuse(
  o: ResolvedBearerAuthOptions,
  err: unknown,
  needed: readonly string[],
  scheme?: PresentedScheme,
): BearerResult {
  const context = {
    resourceMetadataUrl: o.resourceMetadataUrl,
    requiredScopes: needed,
    scopeChallenge: o.scopeChallenge,
  };
  const response = o.dpop?.respond(err, context, scheme) ?? authErrorResponse(err, context);
  if (response.status === 500) {
    o.logger.error({ event: 'bearer_auth_error', error: (err as Error)?.name ?? typeof err });
  }
  return { ok: false, response };
}

function checkScopes(o: ResolvedBearerAuthOptions, authInfo: AuthInfo, needed: readonly string[]) {
  if (hasScopes(authInfo, needed)) return undefined;
  const response = authErrorResponse(
    new AuthflowError('ERR_INSUFFICIENT_SCOPE', 'Insufficient scope'),
    {
      resourceMetadataUrl: o.resourceMetadataUrl,
      requiredScopes: needed,
      scopeChallenge: o.scopeChallenge,
      grantedScopes: authInfo.scopes,
    },
  );
  return { ok: false, response } as const;
}

async function verifyThenCheck(
  o: ResolvedBearerAuthOptions,
  token: string,
  needed: readonly string[],
): Promise<BearerResult> {
  try {
    const authInfo = await verify(o, token);
    return checkScopes(o, authInfo, needed) ?? { ok: true, authInfo };
  } catch (err) {
    return refuse(o, err, needed, 'bearer');
  }
}

async function proveThenCheck(
  o: ResolvedBearerAuthOptions,
  dpop: DpopGate,
  header: { readonly kind: 'bearer' | 'dpop'; readonly token: string },
  request: Omit<BearerRequest, 'body'>,
  needed: readonly string[],
): Promise<BearerResult> {
  try {
    const proof = await dpop.proof(header.kind, header.token, request);
    const authInfo = dpop.bind(header.kind, proof?.jkt, await verify(o, header.token));
    const refused = checkScopes(o, authInfo, needed);
    if (refused !== undefined) return refused;
    if (proof?.nonce === undefined) return { ok: true, authInfo };
    return { ok: true, authInfo, headers: dpopNonceHeaders(proof.nonce) };
  } catch (err) {
    return refuse(o, err, needed, header.kind);
  }
}

/**
 * The gate's decision on the request's headers and `body`: at once (no promise) when the token's
 * verdict is cached in memory or the headers alone refuse the request, else a promise.
 */
type Decide = (
  request: Omit<BearerRequest, 'body'>,
  body: unknown,
) => BearerResult | Promise<BearerResult>;

function oneStep(o: ResolvedBearerAuthOptions): Decide {
  return function bearerGate(request, body) {
    const calls = routingOf(request, body);
    const needed = neededScopes(o.requiredScopes, o.toolScopes, calls.ok ? calls.tools : []);
    const header = parseAuthorizationHeader(request.authorization);
    try {
      if (header.kind === 'missing') {
        throw new AuthflowError('ERR_TOKEN_MISSING', 'Authorization required');
      }
      if (header.kind === 'malformed')
        throw new AuthflowError('ERR_INVALID_REQUEST', header.reason);
      if (header.kind === 'dpop' && o.dpop === undefined) {
        throw new AuthflowError('ERR_INVALID_REQUEST', "Expected the 'Bearer' scheme");
      }
      if (!calls.ok) throw new McpHeaderMismatchError(calls.id);
      if (o.dpop !== undefined) return proveThenCheck(o, o.dpop, header, request, needed);
      const authInfo = verifiedNow(o.verifier, header.token, o.now);
      if (authInfo === undefined) return verifyThenCheck(o, header.token, needed);
      return checkScopes(o, authInfo, needed) ?? { ok: true, authInfo };
    } catch (err) {
      const scheme = header.kind === 'bearer' || header.kind === 'dpop' ? header.kind : undefined;
      return refuse(o, err, needed, scheme);
    }
  };
}

/**
 * Creates the two steps of the framework-free bearer gate.
 *
 * @param options - See {@link BearerAuthOptions}.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createBearerGateSteps(options: BearerAuthOptions): BearerGateSteps {
  const o = resolveBearerAuthOptions(options);
  const gate = oneStep(o);
  const counted = (result: BearerResult): BearerResult => {
    recordAuthRequest(authOutcomeOf(result));
    return result;
  };
  const countRefusal = (r: BearerResult): BearerResult => (r.ok ? r : counted(r));
  const authenticateNow = (request: Omit<BearerRequest, 'body'>) => {
    const result = gate(request, undefined);
    return result instanceof Promise ? result.then(countRefusal) : countRefusal(result);
  };
  return {
    authenticate(request) {
      try {
        return Promise.resolve(authenticateNow(request));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    authenticateNow,
    authorize(authInfo, request, body) {
      const calls = routingOf(request, body);
      if (!calls.ok) {
        return counted(refuse(o, new McpHeaderMismatchError(calls.id), [...o.requiredScopes]));
      }
      return counted(
        checkScopes(o, authInfo, neededScopes(o.requiredScopes, o.toolScopes, calls.tools)) ?? {
          ok: true,
          authInfo,
        },
      );
    },
  };
}

/**
 * Creates the framework-free bearer gate for a request whose body is already parsed. Checks, in
 * order: the `Authorization` header (missing → 401 without `error`; malformed → 400), the
 * `Mcp-Method`/`Mcp-Name` headers against the body (mismatch, or missing on a 2026-07-28
 * request → 400, JSON-RPC -32020), the token
 * (bad → 401 `invalid_token`; authorization server down → 503 + `Retry-After`), then
 * `requiredScopes` plus the `toolScopes` of every called tool (missing → 403
 * `insufficient_scope`).
 *
 * @param options - See {@link BearerAuthOptions}.
 * @returns The gate.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createBearerGate(options: BearerAuthOptions): BearerGate {
  const decide = oneStep(resolveBearerAuthOptions(options));
  return countAuthOutcomes<BearerRequest, BearerResult>(async function bearerGate(request) {
    return decide(request, request.body);
  });
}
