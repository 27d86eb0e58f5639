/**
 * The introspection verifier's small pieces: rejection messages, the verified token built
 * from an accepted verdict, and the copy of its `AuthInfo` each caller gets.
 *
 * @module
 * @internal
 */

import type { TokenRejectedError } from '../../errors.js';
import type { AuthInfo } from '../../types.js';
import type { CachedIntrospection, IntrospectionVerdict } from '../cache.js';
import type { AccessToken } from '../verifier.js';
import { parseUrl } from './claims.js';

type Accepted = Extract<IntrospectionVerdict, { ok: true }>;

/** The message of each rejection code (no token data in any). @internal */
export const MESSAGES: Readonly<Record<TokenRejectedError['code'], string>> = {
  ERR_TOKEN_MALFORMED: 'The access token is malformed',
  ERR_TOKEN_INACTIVE: 'The access token is not active',
  ERR_TOKEN_EXPIRED: 'The access token has expired',
  ERR_TOKEN_AUDIENCE: 'The access token was not issued for this resource',
};

/** The name of a thrown value, for logs. @internal */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** The frozen verified token of an accepted verdict. @internal */
export function toAccessToken(
  token: string,
  verdict: Accepted,
  entry: CachedIntrospection,
): AccessToken {
  return Object.freeze({
    token,
    clientId: verdict.clientId,
    scopes: Object.freeze([...verdict.scopes]),
    expiresAt: verdict.exp ?? Math.floor(entry.cachedUntilMs / 1000),
    resource: verdict.resource,
    subject: verdict.subject,
    issuer: verdict.issuer,
    claims: entry.claims,
  });
}

/** `resource` as a URL, when it is one. @internal */
export function resourceUrl(resource: string | undefined): URL | undefined {
  return resource === undefined ? undefined : parseUrl(resource);
}

/**
 * The caller's own copy of an `AuthInfo` built by `toAuthInfo` (its own `scopes` array), with
 * the same keys in the same order as that object: what `{ ...authInfo, scopes: [...scopes] }`
 * gives, built as a literal.
 * @internal
 */
export function copyAuthInfo(authInfo: AuthInfo): AuthInfo {
  const { token, clientId, expiresAt, resource, extra } = authInfo;
  const scopes = authInfo.scopes.slice();
  return resource === undefined
    ? { token, clientId, scopes, expiresAt, extra }
    : { token, clientId, scopes, expiresAt, resource, extra };
}
