/**
 * Reading the claims of a verified JWT access token: audience, scopes and client id across the
 * dialects of real identity providers.
 *
 * @module
 * @internal
 */

import { parseAudience, parseScopes, resourceMatcher } from '../introspection/claims.js';

/** Claims naming the client, in order: RFC 9068 / RFC 8693, OIDC, Entra v1, Okta. */
const CLIENT_ID_CLAIMS = ['client_id', 'azp', 'appid', 'cid'] as const;

/**
 * Granted scopes: `scope` (RFC 9068 §2.2.3, space-separated), else `scp` (Entra, Okta: string or
 * array), else `permissions` (Auth0 RBAC, array). The first claim present wins.
 */
export function jwtScopes(claims: Readonly<Record<string, unknown>>): readonly string[] {
  if (claims.scope !== undefined) return parseScopes(claims.scope);
  if (claims.scp !== undefined) return parseScopes(claims.scp);
  return parseScopes(claims.permissions);
}

/** The client id: the first non-empty string of `client_id`, `azp`, `appid`, `cid`; else `'unknown'`. */
export function jwtClientId(claims: Readonly<Record<string, unknown>>): string {
  for (const name of CLIENT_ID_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return 'unknown';
}

/** What the audience check needs. */
export interface AudienceContext {
  readonly validateResource: boolean;
  readonly serverUrl: string | undefined;
  readonly audience: readonly string[];
}

/** The `aud` element a token is accepted for, `undefined` (none needed) or `null` (rejected). */
export type AudienceAcceptor = (aud: unknown) => string | undefined | null;

/**
 * The audience check for `ctx`, prepared once (see {@link acceptedAudience}): the exact values
 * in a set, the `serverUrl` matcher normalising `serverUrl` at most once for its lifetime.
 */
export function audienceAcceptor(ctx: AudienceContext): AudienceAcceptor {
  if (!ctx.validateResource) return (aud) => parseAudience(aud)[0];
  const { serverUrl } = ctx;
  const exact: ReadonlySet<string> = new Set(
    serverUrl === undefined ? ctx.audience : [serverUrl, ...ctx.audience],
  );
  const matches = serverUrl === undefined ? undefined : resourceMatcher(serverUrl);
  return (aud) => {
    // Exact equality first: the common case needs no URL parsing.
    if (typeof aud === 'string' && exact.has(aud)) return aud;
    const audiences = parseAudience(aud);
    const found =
      audiences.find((value) => exact.has(value)) ??
      (matches === undefined ? undefined : audiences.find(matches));
    return found ?? null;
  };
}

/**
 * The `aud` element the token is accepted for: with `validateResource`, one covering
 * `serverUrl` (RFC 8707 path-prefix rule) or equal to an `audience` value, else `null`
 * (rejected); without it, the first `aud` element or `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export function acceptedAudience(aud: unknown, ctx: AudienceContext): string | undefined | null {
  return audienceAcceptor(ctx)(aud);
}
