/**
 * The RFC 9728 §3.1 well-known URL of a protected resource, shared by the gate's challenge
 * (`resource_metadata`) and the discovery endpoints.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */

import { normalizePublicUrl } from './url.js';

const PRM_SUFFIX = '/.well-known/oauth-protected-resource';

/**
 * The RFC 9728 §3.1 well-known URL of a resource: `/.well-known/oauth-protected-resource`
 * inserted between the host and the path (`https://h/mcp` →
 * `https://h/.well-known/oauth-protected-resource/mcp`). Trailing slashes are dropped first.
 *
 * @param serverUrl - The public URL of the MCP endpoint.
 * @returns The absolute metadata URL.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for a value that is not an
 *   absolute http(s) URL without fragment or credentials.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function protectedResourceMetadataUrl(serverUrl: string): string {
  const url = normalizePublicUrl(serverUrl, 'serverUrl');
  return `${url.origin}${PRM_SUFFIX}${url.path}${url.search}`;
}
