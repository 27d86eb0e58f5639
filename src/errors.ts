/**
 * Error classes with stable codes. Every error this library raises on purpose carries a `code`
 * from {@link ErrorCode}; switch on `code`, never on `message`.
 *
 * Messages never contain a token, a client secret or a raw response body.
 *
 * @module
 */

/** Every stable error code this library uses. */
export type ErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_INACTIVE'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_AUDIENCE'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INTROSPECTION_UNAVAILABLE'
  | 'ERR_VERIFIER_UNAVAILABLE'
  | 'ERR_METADATA_INVALID'
  | 'ERR_METADATA_UNAVAILABLE'
  | 'ERR_SSRF_BLOCKED'
  | 'ERR_HTTP_TIMEOUT'
  | 'ERR_HTTP_RESPONSE_TOO_LARGE'
  | 'ERR_HTTP_NETWORK'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_FRICTION_BLOCKED'
  | 'ERR_FRICTION_STATE_INVALID';

/** Codes carried by a {@link TokenRejectedError}: the token itself is the problem. */
export type TokenErrorCode = Extract<
  ErrorCode,
  'ERR_TOKEN_MALFORMED' | 'ERR_TOKEN_INACTIVE' | 'ERR_TOKEN_EXPIRED' | 'ERR_TOKEN_AUDIENCE'
>;

/** Codes for option and argument validation, raised as `TypeError`s. */
export type ArgErrorCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE';

/** Base class of every error this library raises. It imports neither MCP SDK line. */
export class AuthflowError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A verifier could not give a verdict (its authorization server, metadata or key set cannot be
 * reached or answered garbage). Maps to HTTP 503 with `Retry-After`: an outage must never look
 * like a bad token. Code `ERR_VERIFIER_UNAVAILABLE`, or `ERR_INTROSPECTION_UNAVAILABLE` for the
 * {@link IntrospectionUnavailableError} subclass.
 */
export class VerifierUnavailableError extends AuthflowError {
  /** Seconds a client should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor(
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
    code: 'ERR_VERIFIER_UNAVAILABLE' | 'ERR_INTROSPECTION_UNAVAILABLE' = 'ERR_VERIFIER_UNAVAILABLE',
  ) {
    super(code, message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}

/**
 * The authorization server could not give a verdict (network error, timeout, 5xx, 429, a
 * non-JSON or oversized answer, our own client credentials refused). Maps to HTTP 503 with
 * `Retry-After`: an outage must never look like a bad token.
 */
export class IntrospectionUnavailableError extends VerifierUnavailableError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options, 'ERR_INTROSPECTION_UNAVAILABLE');
  }
}

/** An outbound request was refused by the SSRF policy (URL or resolved address). */
export class SsrfBlockedError extends AuthflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SSRF_BLOCKED', message, options);
  }
}

/**
 * The access token is not acceptable (malformed, inactive, expired, wrong audience): 401
 * `invalid_token`. Like an SDK 1.x `OAuthError` it exposes `errorCode` and
 * `toResponseObject()`; for the SDK's own `requireBearerAuth` (either line), wrap the verifier
 * with `toSdkVerifier` from `mcp-authflow-resource/sdk-v1` or `mcp-authflow-resource/sdk-v2`,
 * which rethrows it as that SDK's `invalid_token` error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export class TokenRejectedError extends AuthflowError {
  /** Stable machine-readable reason. */
  declare readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string) {
    super(code, message);
  }

  /** The RFC 6750 error code: always `invalid_token`. */
  get errorCode(): 'invalid_token' {
    return 'invalid_token';
  }

  /** The RFC 6750 error body. */
  toResponseObject(): { error: 'invalid_token'; error_description: string } {
    return { error: 'invalid_token', error_description: this.message };
  }
}

/** Any error this library raises on purpose; `switch (err.code)` narrows it. */
export type AnyAuthflowError = AuthflowError | TokenRejectedError;

/** A `TypeError` carrying a Node-style `code`, raised for bad options and arguments. */
export interface CodedTypeError extends TypeError {
  readonly code: ArgErrorCode;
}

/**
 * Builds the `TypeError` thrown for a bad option or argument.
 *
 * @internal
 */
export function invalidArg(code: ArgErrorCode, message: string): CodedTypeError {
  const err = new TypeError(message) as TypeError & { code: ArgErrorCode };
  err.code = code;
  return err;
}
