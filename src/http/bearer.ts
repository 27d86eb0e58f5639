/**
 * The framework-free bearer gate: header value(s) and JSON-RPC body in, `AuthInfo` or the exact
 * HTTP refusal out. The Express, `node:http` and fetch adapters only translate.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */

import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { protectedResourceMetadataUrl } from '../discovery/protected-resource.js';
import { AuthflowError, invalidArg, TokenRejectedError } from '../errors.js';
import { defaultLogger } from '../lib/logger.js';
import { authOutcomeOf, countAuthOutcomes } from '../telemetry/gate.js';
import { recordAuthRequest } from '../telemetry/metrics.js';
import type { Clock, Logger } from '../types.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import { hasScopes, neededScopes, unexpired, verifiedNow } from './bearer-hit.js';
import { type AuthErrorResponse, authErrorResponse } from './challenge.js';
import { checkToolCalls, McpHeaderMismatchError } from './json-rpc.js';
import { resolveScopes } from './options.js';
import { normalizePublicUrl } from './url.js';

/** Options of every `requireBearerAuth` adapter. */
export interface BearerAuthOptions {
  /** Any SDK token verifier; `IntrospectionTokenVerifier` from this library fits. */
  readonly verifier: OAuthTokenVerifier & { readonly serverUrl?: unknown };
  /** Scopes every request needs. @default [] */
  readonly requiredScopes?: readonly string[];
  /**
   * Extra scopes per tool (`{ delete_task: ['tasks:write'] }`), checked from the JSON-RPC body of
   * `tools/call` (single or batch) before the tool runs.
   * @default {}
   */
  readonly toolScopes?: Readonly<Record<string, readonly string[]>>;
  /**
   * The RFC 9728 metadata URL put in every challenge.
   * @default the path-inserted metadata URL of `serverUrl`, else of the verifier's `serverUrl`
   */
  readonly resourceMetadataUrl?: string;
  /** Public URL of the MCP endpoint, used to derive `resourceMetadataUrl`. */
  readonly serverUrl?: string;
  /**
   * Scopes named by a 403: `'cumulative'` (those needed plus those the token holds, so clients
   * that replace their scopes keep them) or `'operation'` (only those needed).
   * @default 'cumulative'
   */
  readonly scopeChallenge?: 'cumulative' | 'operation';
  /** Clock for the expiry check, epoch ms. @default Date.now */
  readonly now?: Clock;
  /** Receives a record (never the token) when the verifier fails unexpectedly. */
  readonly logger?: Logger;
}

/** What the gate looks at in one request. */
export interface BearerRequest {
  /** The `Authorization` header value(s) as received. */
  readonly authorization: string | readonly string[] | null | undefined;
  /** The parsed JSON body, or `undefined` when there is none. */
  readonly body?: unknown;
  /** The `Mcp-Method` header (MCP 2026-07-28), when present. */
  readonly mcpMethod?: string | undefined;
  /** The `Mcp-Name` header (MCP 2026-07-28), when present. */
  readonly mcpName?: string | undefined;
}

/** The gate's verdict: the caller's `AuthInfo`, or the response to send instead. */
export type BearerResult =
  | { readonly ok: true; readonly authInfo: AuthInfo }
  | { readonly ok: false; readonly response: AuthErrorResponse };

/** The framework-free gate returned by {@link createBearerGate}. */
export type BearerGate = (request: BearerRequest) => Promise<BearerResult>;

interface ResolvedBearerAuthOptions {
  readonly verifier: OAuthTokenVerifier;
  readonly requiredScopes: readonly string[];
  readonly toolScopes: ReadonlyMap<string, readonly string[]>;
  readonly resourceMetadataUrl: string | undefined;
  readonly scopeChallenge: 'cumulative' | 'operation';
  readonly now: Clock;
  readonly logger: Logger;
}

function resolveToolScopes(value: unknown): ReadonlyMap<string, readonly string[]> {
  if (value === undefined) return new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"toolScopes" must be an object of scope arrays');
  }
  return new Map(
    Object.entries(value).map(([tool, scopes]) => [tool, resolveScopes(scopes, 'toolScopes')]),
  );
}

function resolveMetadataUrl(options: BearerAuthOptions): string | undefined {
  if (options.resourceMetadataUrl !== undefined) {
    return normalizePublicUrl(options.resourceMetadataUrl, 'resourceMetadataUrl').href;
  }
  if (options.serverUrl !== undefined) return protectedResourceMetadataUrl(options.serverUrl);
  const fromVerifier = options.verifier.serverUrl;
  return typeof fromVerifier === 'string' ? protectedResourceMetadataUrl(fromVerifier) : undefined;
}

/**
 * Validates the gate options, applies defaults and returns a frozen copy.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 */
export function resolveBearerAuthOptions(options: BearerAuthOptions): ResolvedBearerAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  if (typeof options.verifier?.verifyAccessToken !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"verifier" must implement verifyAccessToken()');
  }
  const scopeChallenge = options.scopeChallenge ?? 'cumulative';
  if (scopeChallenge !== 'cumulative' && scopeChallenge !== 'operation') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"scopeChallenge" must be "cumulative" or "operation"',
    );
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"now" must be a function');
  }
  return Object.freeze({
    verifier: options.verifier,
    requiredScopes: resolveScopes(options.requiredScopes ?? [], 'requiredScopes'),
    toolScopes: resolveToolScopes(options.toolScopes),
    resourceMetadataUrl: resolveMetadataUrl(options),
    scopeChallenge,
    now: options.now ?? Date.now,
    logger: options.logger ?? defaultLogger,
  });
}

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
   * Checks the body of an authenticated request: routing headers against the body (mismatch →
   * 400, JSON-RPC -32020) and the `toolScopes` of every tool called (missing → 403).
   */
  authorize(authInfo: AuthInfo, request: BearerRequest): BearerResult;
}

function refuse(
  o: ResolvedBearerAuthOptions,
  err: unknown,
  needed: readonly string[],
): BearerResult {
  const context = {
    resourceMetadataUrl: o.resourceMetadataUrl,
    requiredScopes: needed,
    scopeChallenge: o.scopeChallenge,
  };
  const response = authErrorResponse(err, context);
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
    return refuse(o, err, needed);
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
    const calls = checkToolCalls(body, {
      method: request.mcpMethod,
      name: request.mcpName,
    });
    const needed = neededScopes(o.requiredScopes, o.toolScopes, calls.ok ? calls.tools : []);
    const header = parseAuthorizationHeader(request.authorization);
    try {
      if (header.kind === 'missing') {
        throw new AuthflowError('ERR_TOKEN_MISSING', 'Authorization required');
      }
      if (header.kind === 'malformed')
        throw new AuthflowError('ERR_INVALID_REQUEST', header.reason);
      if (!calls.ok) throw new McpHeaderMismatchError(calls.id);
      const authInfo = verifiedNow(o.verifier, header.token, o.now);
      if (authInfo === undefined) return verifyThenCheck(o, header.token, needed);
      return checkScopes(o, authInfo, needed) ?? { ok: true, authInfo };
    } catch (err) {
      return refuse(o, err, needed);
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
  return {
    authenticate(request) {
      let result: BearerResult | Promise<BearerResult>;
      try {
        result = gate(request, undefined);
      } catch (err) {
        return Promise.reject(err);
      }
      if (result instanceof Promise) return result.then((r) => (r.ok ? r : counted(r)));
      return Promise.resolve(result.ok ? result : counted(result));
    },
    authorize(authInfo, request) {
      const headers = { method: request.mcpMethod, name: request.mcpName };
      const calls = checkToolCalls(request.body, headers);
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
 * `Mcp-Method`/`Mcp-Name` headers against the body (mismatch → 400, JSON-RPC -32020), the token
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
