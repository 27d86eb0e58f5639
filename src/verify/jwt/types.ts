/**
 * Options of the RFC 9068 JWT access token verifier.
 *
 * @module
 */

import type { SafeHttpClient } from '../../ssrf/types.js';
import type { Clock, Logger } from '../../types.js';

/**
 * Accepted issuers: one exact `iss`, a list of them, or a predicate for multi-tenant issuers
 * (then `jwksUri` is required, since there is no single issuer to discover it from).
 */
export type JwtIssuer = string | readonly string[] | ((iss: string) => boolean);

/** What `typ` header a JWT access token must carry. */
export type JwtTokenType = 'at+jwt' | 'any';

/** Verdict cache options of `JwtTokenVerifier`. */
export interface JwtVerdictCacheOptions {
  /** Longest time a verdict is reused, in ms (shorter when the token expires first). @default 60000 */
  readonly ttlMs?: number;
  /** Most verdicts kept (least recently used go first). @default 10000 */
  readonly maxEntries?: number;
}

/**
 * Options of `JwtTokenVerifier`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068
 */
export interface JwtTokenVerifierOptions {
  /**
   * The accepted issuer(s), compared exactly with `iss`; or `(iss) => boolean` for
   * multi-tenant issuers (then `jwksUri` is required). Keys are bound to the issuer whose key
   * set served them.
   */
  readonly issuer: JwtIssuer;
  /**
   * The issuer's JWKS URL. Must pass `isSafeUrl(url, { allowLocalhost })`.
   * @default discovered from the issuer: RFC 8414 `/.well-known/oauth-authorization-server{path}`,
   *   then `{issuer}/.well-known/openid-configuration`
   */
  readonly jwksUri?: string;
  /** This resource server's URL (the MCP endpoint): `aud` must cover it when `validateResource`. */
  readonly serverUrl?: string;
  /** Further accepted `aud` values, compared exactly (e.g. Entra v1 `api://<app id>`). */
  readonly audience?: string | readonly string[];
  /**
   * Reject tokens whose `aud` covers neither `serverUrl` nor an `audience` value (RFC 8707).
   * Needs `serverUrl` or `audience`.
   * @default true
   */
  readonly validateResource?: boolean;
  /**
   * Accepted signature algorithms; asymmetric only (`none` and `HS*` are refused).
   * @default ['RS256', 'PS256', 'ES256', 'EdDSA']
   */
  readonly algorithms?: readonly string[];
  /**
   * `'at+jwt'`: the header `typ` must be `at+jwt` or `application/at+jwt` (RFC 9068 §2.1);
   * `'any'`: no `typ` check, for IdPs that mint `typ: JWT` or none (Entra, Keycloak, Okta).
   * @default 'at+jwt'
   */
  readonly tokenType?: JwtTokenType;
  /** Tolerance for `exp`, `nbf` and `iat`, in ms. @default 30000 */
  readonly clockSkewMs?: number;
  /** How long a fetched key set is used before it is refreshed, in ms. @default 600000 */
  readonly jwksCacheTtlMs?: number;
  /**
   * Least time between two key set fetches for an unknown `kid` or after a failure, in ms.
   * @default 30000
   */
  readonly jwksCooldownMs?: number;
  /** Deadline of one metadata or JWKS request, in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Largest metadata or JWKS document accepted, in bytes. @default 65536 */
  readonly maxResponseBytes?: number;
  /** Allow loopback metadata and JWKS URLs. @default true */
  readonly allowLocalhost?: boolean;
  /**
   * Allow https metadata and JWKS hosts that resolve to a private address (RFC 1918, CGNAT, ULA).
   * @default false
   */
  readonly allowPrivateNetwork?: boolean;
  /**
   * The outbound HTTP client (for tests, or to share one pool). When given, the verifier does
   * not close it.
   * @default a client from `createSafeHttpClient({ allowLocalhost, allowPrivateNetwork })`
   */
  readonly httpClient?: SafeHttpClient;
  /** Clock in epoch milliseconds; drives token time checks, key set TTL and cooldown. @default Date.now */
  readonly now?: Clock;
  /** Structured logger; records never contain the token. @default stderr JSON */
  readonly logger?: Logger;
  /**
   * Verdict cache, or `false` to verify the signature every time. A verdict is never reused
   * past the token's `exp`.
   * @default { ttlMs: 60000, maxEntries: 10000 }
   */
  readonly cache?: JwtVerdictCacheOptions | false;
}
