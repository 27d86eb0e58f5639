/**
 * The one `WWW-Authenticate` builder and the one mapping from errors to HTTP answers.
 *
 * Every refusal of the bearer gate goes through {@link authErrorResponse}, so a status code, an
 * OAuth error code and a challenge never disagree between the Express, `node:http` and fetch
 * adapters.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */

import { AuthflowError, TokenRejectedError, VerifierUnavailableError } from '../errors.js';
import { HEADER_MISMATCH_CODE, McpHeaderMismatchError } from './json-rpc.js';
import { sdkOAuthErrorCode } from './oauth-error-shape.js';

/** The OAuth error codes a bearer challenge can carry (RFC 6750 §3.1). */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** The parameters of one `Bearer` challenge. */
export interface BearerChallengeParams {
  /** The RFC 6750 error code; absent when the request carried no credentials at all. */
  readonly error?: BearerErrorCode;
  /** Human-readable explanation; non-printable characters are replaced by `?`. */
  readonly errorDescription?: string;
  /** Scopes the client should ask for; written space-separated. */
  readonly scope?: readonly string[];
  /** RFC 9728 protected resource metadata URL. */
  readonly resourceMetadata?: string;
  /** Protection space. */
  readonly realm?: string;
}

/** What the bearer gate answers instead of running the handler. */
export interface AuthErrorResponse {
  /** HTTP status: 400, 401, 403, 500 or 503. */
  readonly status: number;
  /** OAuth error code sent in the JSON body (and in the challenge, except for a missing token). */
  readonly error: string;
  /** Safe, generic explanation: never a token, secret or upstream body. */
  readonly description: string;
  /** The `WWW-Authenticate` value, when the answer carries one. */
  readonly challenge: string | undefined;
  /** Every header to set, `WWW-Authenticate` and `Retry-After` included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** What {@link authErrorResponse} needs to know besides the error. */
export interface AuthErrorContext {
  /** RFC 9728 metadata URL put in every challenge. */
  readonly resourceMetadataUrl?: string | undefined;
  /** Scopes the operation needs: the `scope` of 401 and 403 challenges. */
  readonly requiredScopes?: readonly string[];
  /** Scopes the token already holds, added to a 403 challenge unless `scopeChallenge` says not. */
  readonly grantedScopes?: readonly string[];
  /**
   * `'cumulative'`: a 403 names the scopes needed plus those the token holds, so a client that
   * replaces its scopes with the challenge's keeps what it had. `'operation'`: only those needed.
   * @default 'cumulative'
   */
  readonly scopeChallenge?: 'cumulative' | 'operation';
}

const TOKEN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  ERR_TOKEN_MALFORMED: 'The access token is malformed',
  ERR_TOKEN_INACTIVE: 'The access token is not active',
  ERR_TOKEN_EXPIRED: 'The access token has expired',
  ERR_TOKEN_AUDIENCE: 'The access token was not issued for this resource',
};
const MAX_DESCRIPTION_LENGTH = 200;
const OFFLINE_ACCESS = 'offline_access';

/**
 * Makes `value` a legal RFC 9110 quoted-string: `\` and `"` are backslash-escaped and every
 * character outside printable ASCII (controls, DEL, non-ASCII) becomes `?`, so the result can
 * always be sent as a header value.
 *
 * @param value - Any string.
 * @returns The quoted string, surrounding quotes included.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.4
 */
export function quoteHeaderValue(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (code >= 0x20 && code <= 0x7e) out += char;
    else out += '?';
  }
  return `${out}"`;
}

/**
 * Builds a `Bearer` `WWW-Authenticate` value. Parameters appear in a fixed order (`realm`,
 * `error`, `resource_metadata`, `scope`, `error_description`) with the free-text description
 * last, so naive client parsers cannot mistake its content for another parameter.
 *
 * @param params - The challenge parameters; empty ones are left out.
 * @returns For example `Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/mcp", scope="read"`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function buildWwwAuthenticate(params: BearerChallengeParams): string {
  const parts: string[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') parts.push(`${name}=${quoteHeaderValue(value)}`);
  };
  add('realm', params.realm);
  add('error', params.error);
  add('resource_metadata', params.resourceMetadata);
  add('scope', params.scope?.join(' '));
  add('error_description', params.errorDescription);
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function respond(
  status: number,
  error: string,
  description: string,
  challenge: BearerChallengeParams | undefined,
  extraHeaders: Record<string, string> = {},
): AuthErrorResponse {
  // MCP 2026-07-28: a resource server never asks for `offline_access` (refresh tokens are
  // between the client and the authorization server).
  const scoped =
    challenge?.scope === undefined
      ? challenge
      : { ...challenge, scope: challenge.scope.filter((x) => x !== OFFLINE_ACCESS) };
  const value = scoped === undefined ? undefined : buildWwwAuthenticate(scoped);
  const headers =
    value === undefined ? extraHeaders : { ...extraHeaders, 'WWW-Authenticate': value };
  return {
    status,
    error,
    description,
    challenge: value,
    headers,
    body: { error, error_description: description },
  };
}

function sdkMessage(err: Error, fallback: string): string {
  const text = err.message.slice(0, MAX_DESCRIPTION_LENGTH);
  return text === '' ? fallback : text;
}

function codeOf(err: unknown): string | undefined {
  return err instanceof AuthflowError || err instanceof TokenRejectedError ? err.code : undefined;
}

/**
 * Maps any error met while authenticating a request to the HTTP answer, in one place:
 * - `ERR_TOKEN_MISSING` → 401 with a challenge that has **no** `error` (RFC 6750 §3.1);
 * - a routing header/body mismatch → 400 with the JSON-RPC error -32020 as body;
 * - `ERR_INVALID_REQUEST`, an SDK `invalid_request` error → 400 `invalid_request`;
 * - `TokenRejectedError`, an SDK `invalid_token` error → 401 `invalid_token`;
 * - `ERR_INSUFFICIENT_SCOPE`, an SDK `insufficient_scope` error → 403 `insufficient_scope` + `scope`;
 * - `VerifierUnavailableError` (`ERR_VERIFIER_UNAVAILABLE`, `ERR_INTROSPECTION_UNAVAILABLE`), an SDK `temporarily_unavailable` error → 503 + `Retry-After`, no challenge (clients keep their token);
 * - anything else → 500 `server_error`, its message never sent.
 *
 * @param err - What was thrown or detected.
 * @param context - Metadata URL and scopes for the challenge.
 * @returns Status, OAuth error, safe description, challenge, headers and JSON body.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function authErrorResponse(err: unknown, context: AuthErrorContext = {}): AuthErrorResponse {
  const metadata = context.resourceMetadataUrl;
  const required = context.requiredScopes ?? [];
  switch (classify(err)) {
    case 'missing':
      return respond(401, 'unauthorized', 'Authorization required', {
        resourceMetadata: metadata,
        scope: required,
      });
    case 'mismatch':
      return mismatchResponse(err as McpHeaderMismatchError);
    case 'request':
      return invalidRequestResponse(err as Error, metadata);
    case 'token':
      return invalidTokenResponse(err as Error, metadata, required);
    case 'scope':
      return insufficientScopeResponse(context, required);
    case 'unavailable':
      return unavailableResponse(err);
    default:
      return respond(500, 'server_error', 'Internal server error', undefined);
  }
}

type ErrorKind = 'missing' | 'mismatch' | 'request' | 'token' | 'scope' | 'unavailable' | 'other';

const OAUTH_KINDS: Readonly<Record<string, ErrorKind>> = {
  invalid_request: 'request',
  invalid_token: 'token',
  insufficient_scope: 'scope',
  temporarily_unavailable: 'unavailable',
};

function classify(err: unknown): ErrorKind {
  const code = codeOf(err);
  if (code === 'ERR_TOKEN_MISSING') return 'missing';
  if (err instanceof McpHeaderMismatchError) return 'mismatch';
  if (code === 'ERR_INVALID_REQUEST') return 'request';
  if (err instanceof TokenRejectedError) return 'token';
  if (code === 'ERR_INSUFFICIENT_SCOPE') return 'scope';
  if (err instanceof VerifierUnavailableError || code === 'ERR_INTROSPECTION_UNAVAILABLE') {
    return 'unavailable';
  }
  const sdk = sdkOAuthErrorCode(err);
  return (sdk === undefined ? undefined : OAUTH_KINDS[sdk]) ?? 'other';
}

function mismatchResponse(err: McpHeaderMismatchError): AuthErrorResponse {
  const error = { code: HEADER_MISMATCH_CODE, message: err.message };
  return {
    ...respond(400, 'invalid_request', err.message, undefined),
    body: { jsonrpc: '2.0', id: err.jsonRpcId, error },
  };
}

function invalidRequestResponse(err: Error, metadata: string | undefined): AuthErrorResponse {
  const description =
    err instanceof AuthflowError ? err.message : sdkMessage(err, 'Invalid request');
  return respond(400, 'invalid_request', description, {
    error: 'invalid_request',
    resourceMetadata: metadata,
    errorDescription: description,
  });
}

function invalidTokenResponse(
  err: Error,
  metadata: string | undefined,
  required: readonly string[],
): AuthErrorResponse {
  const code = codeOf(err);
  const description =
    code === undefined
      ? sdkMessage(err, 'Invalid access token')
      : (TOKEN_DESCRIPTIONS[code] ?? 'Invalid access token');
  return respond(401, 'invalid_token', description, {
    error: 'invalid_token',
    resourceMetadata: metadata,
    scope: required,
    errorDescription: description,
  });
}

function insufficientScopeResponse(
  context: AuthErrorContext,
  required: readonly string[],
): AuthErrorResponse {
  const cumulative = (context.scopeChallenge ?? 'cumulative') === 'cumulative';
  const scope = unique(cumulative ? [...required, ...(context.grantedScopes ?? [])] : required);
  const granted = new Set(context.grantedScopes ?? []);
  const missing = required.filter((s) => !granted.has(s));
  const description = `Missing scope: ${missing.join(' ')}`;
  return respond(403, 'insufficient_scope', description, {
    error: 'insufficient_scope',
    resourceMetadata: context.resourceMetadataUrl,
    scope,
    errorDescription: description,
  });
}

function unavailableResponse(err: unknown): AuthErrorResponse {
  const seconds = err instanceof VerifierUnavailableError ? err.retryAfterSeconds : 5;
  return respond(
    503,
    'temporarily_unavailable',
    'The authorization server is unavailable; retry later',
    undefined,
    { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) },
  );
}
