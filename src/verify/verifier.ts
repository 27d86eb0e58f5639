/**
 * The token verifier contract every verifier of this library implements (introspection now,
 * JWT later), and the verified token it returns.
 *
 * @module
 */

import type { AuthInfo } from '../types.js';

/**
 * A verified access token.
 *
 * Times follow the wire: `expiresAt` is epoch **seconds**, like `exp` and the MCP SDK's
 * `AuthInfo.expiresAt`.
 */
export interface AccessToken {
  /** The access token as presented. */
  readonly token: string;
  /** The client the token was issued to (`client_id`), or `'unknown'` when the server omits it. */
  readonly clientId: string;
  /** Granted scopes. */
  readonly scopes: readonly string[];
  /**
   * Expiry in epoch seconds: the token's `exp`, else the end of the cache lifetime. Always set
   * by `IntrospectionTokenVerifier`.
   */
  readonly expiresAt?: number;
  /** The audience (RFC 8707 resource) the token was accepted for. */
  readonly resource?: string;
  /** `sub`: the resource owner. */
  readonly subject?: string;
  /** `iss`: the authorization server. */
  readonly issuer?: string;
  /** Every claim the authorization server returned (RFC 7662 §2.2), frozen. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Verifies bearer tokens. `verifyToken` resolves to `null` for any rejection (the Python
 * package's contract); SDK-facing code uses `verifyAccessToken` (`OAuthTokenVerifier`), which
 * distinguishes a bad token from an outage.
 */
export interface TokenVerifier {
  /**
   * Verifies `token`.
   *
   * @param token - the bearer token, without the `Bearer ` prefix
   * @returns the verified token, or `null` when it is rejected or cannot be checked
   */
  verifyToken(token: string): Promise<AccessToken | null>;
  /** Releases resources (pooled connections). */
  close(): Promise<void>;
}

/**
 * The SDK's `AuthInfo` for a verified token: `resource` as a URL (RFC 8707), the subject, issuer
 * and claims (with any `cnf` binding) under `extra`.
 *
 * @param accessToken - The verified token.
 * @param resource - The resource the token was accepted for, when known.
 * @returns The `AuthInfo` handed to tool handlers as `extra.authInfo`.
 * @internal
 */
export function toAuthInfo(accessToken: AccessToken, resource: URL | undefined): AuthInfo {
  return {
    token: accessToken.token,
    clientId: accessToken.clientId,
    scopes: [...accessToken.scopes],
    expiresAt: accessToken.expiresAt,
    ...(resource !== undefined ? { resource } : {}),
    extra: {
      subject: accessToken.subject,
      issuer: accessToken.issuer,
      claims: accessToken.claims,
    },
  };
}
