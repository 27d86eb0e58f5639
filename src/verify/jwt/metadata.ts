/**
 * Finding an issuer's `jwks_uri` from its metadata: RFC 8414 first, then OpenID Connect
 * Discovery (where Keycloak, Entra and Okta serve it).
 *
 * @module
 * @internal
 */

import { AuthflowError } from '../../errors.js';
import { trimTrailingSlashes } from '../../http/path.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import { type FetchLimits, fetchJsonObject } from './fetch-json.js';

/**
 * The metadata URLs tried for `issuer`, in order: the RFC 8414 path-inserted
 * `{origin}/.well-known/oauth-authorization-server{path}`, then
 * `{issuer}/.well-known/openid-configuration`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function metadataUrls(issuer: string): readonly string[] {
  const url = new URL(issuer);
  const path = trimTrailingSlashes(url.pathname);
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

/**
 * Reads the issuer's metadata and returns its `jwks_uri`. A document counts only when its
 * `issuer` equals `issuer` exactly (RFC 8414 §3.3) and `jwks_uri` is a string; otherwise the
 * next URL is tried. The `jwks_uri` itself is checked by the safe client when it is fetched.
 *
 * @throws the last URL's error (`AuthflowError`: `ERR_METADATA_*`, `ERR_SSRF_BLOCKED`,
 *   `ERR_HTTP_*`).
 */
export async function discoverJwksUri(
  http: SafeHttpClient,
  issuer: string,
  limits: FetchLimits,
): Promise<string> {
  let lastError: unknown;
  for (const url of metadataUrls(issuer)) {
    try {
      const document = await fetchJsonObject(http, url, limits);
      if (document.issuer !== issuer) {
        throw new AuthflowError('ERR_METADATA_INVALID', 'The metadata names another issuer');
      }
      if (typeof document.jwks_uri !== 'string') {
        throw new AuthflowError('ERR_METADATA_INVALID', 'The metadata has no "jwks_uri"');
      }
      return document.jwks_uri;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
