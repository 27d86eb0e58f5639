/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata: the document and its well-known URL.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9728
 */

import { invalidArg } from '../errors.js';
import { resolveDpopAlgorithms } from '../http/dpop/options.js';
import { resolveOptionalString, resolveScopes } from '../http/options.js';
import { normalizePublicUrl } from '../http/url.js';

export { protectedResourceMetadataUrl } from '../http/resource-metadata-url.js';

/** The scopes advertised when none are configured (the Python package's default). */
export const DEFAULT_SCOPES: readonly string[] = Object.freeze(['read']);

interface ProtectedResourceMetadataBase {
  /** The public URL of the MCP endpoint (`https://mcp.example.com/mcp`); trailing slashes dropped. */
  readonly serverUrl: string;
  /** Scopes this resource understands. @default ["read"] */
  readonly scopes?: readonly string[];
  /** URL of human-readable documentation (`resource_documentation`). */
  readonly resourceDocumentation?: string;
  /** Human-readable name (`resource_name`). */
  readonly resourceName?: string;
  /**
   * Advertise DPoP (RFC 9449): `dpop_signing_alg_values_supported` and
   * `dpop_bound_access_tokens_required`. Match the gate's `dpop` option.
   */
  readonly dpop?: DpopMetadataOptions;
}

/** What the metadata says about DPoP (RFC 9728 §2). */
export interface DpopMetadataOptions {
  /** Proof algorithms accepted. @default ['ES256','RS256','PS256','EdDSA','Ed25519'] */
  readonly algorithms?: readonly string[];
  /** Whether every token must be DPoP-bound (the gate's `mode: 'required'`). @default false */
  readonly required?: boolean;
}

/**
 * Options of {@link buildProtectedResourceMetadata}: the MCP endpoint and either one public
 * authorization server URL or the list of them.
 */
export type ProtectedResourceMetadataOptions = ProtectedResourceMetadataBase &
  (
    | {
        /** Public URL (issuer) of the authorization server; trailing slashes dropped. */
        readonly authServerPublicUrl: string;
        readonly authorizationServers?: undefined;
      }
    | {
        /** Issuer URLs of every authorization server this resource accepts tokens from. */
        readonly authorizationServers: readonly string[];
        readonly authServerPublicUrl?: undefined;
      }
  );

/** The RFC 9728 §2 document this library serves. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_documentation?: string;
  readonly resource_name?: string;
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required?: boolean;
}

/**
 * Validates the authorization server options and returns their normalised issuer URLs.
 *
 * @internal
 */
export function resolveAuthorizationServers(options: {
  readonly authServerPublicUrl?: unknown;
  readonly authorizationServers?: unknown;
}): readonly string[] {
  const { authServerPublicUrl, authorizationServers } = options;
  if (authServerPublicUrl !== undefined && authorizationServers !== undefined) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'Give either "authServerPublicUrl" or "authorizationServers", not both',
    );
  }
  if (authServerPublicUrl !== undefined) {
    return Object.freeze([normalizePublicUrl(authServerPublicUrl, 'authServerPublicUrl').href]);
  }
  if (!Array.isArray(authorizationServers) || authorizationServers.length === 0) {
    throw invalidArg(
      'ERR_INVALID_ARG_TYPE',
      '"authServerPublicUrl" or a non-empty "authorizationServers" array is required',
    );
  }
  return Object.freeze(
    authorizationServers.map((url) => normalizePublicUrl(url, 'authorizationServers').href),
  );
}

/**
 * Builds the protected resource metadata document (pure; no I/O).
 *
 * @param options - The MCP endpoint, authorization server(s), scopes and descriptive fields.
 * @returns `{ resource, authorization_servers, scopes_supported, bearer_methods_supported: ["header"], … }`
 *   where `resource` is exactly the MCP endpoint URL, without a trailing slash.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function buildProtectedResourceMetadata(
  options: ProtectedResourceMetadataOptions,
): ProtectedResourceMetadata {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  const resource = normalizePublicUrl(options.serverUrl, 'serverUrl').href;
  const documentation = resolveOptionalString(
    options.resourceDocumentation,
    'resourceDocumentation',
  );
  const name = resolveOptionalString(options.resourceName, 'resourceName');
  return Object.freeze({
    resource,
    authorization_servers: resolveAuthorizationServers(options),
    // Never `offline_access` (MCP 2026-07-28): refresh tokens are the authorization server's.
    scopes_supported:
      options.scopes === undefined
        ? DEFAULT_SCOPES
        : resolveScopes(options.scopes, 'scopes').filter((x) => x !== 'offline_access'),
    bearer_methods_supported: Object.freeze(['header']),
    ...(documentation === undefined ? {} : { resource_documentation: documentation }),
    ...(name === undefined ? {} : { resource_name: name }),
    ...dpopMetadata(options.dpop),
  });
}

function dpopMetadata(value: unknown): Partial<ProtectedResourceMetadata> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop" must be an object');
  }
  const unknown = Object.keys(value).filter((k) => k !== 'algorithms' && k !== 'required');
  if (unknown.length > 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `Unknown "dpop" option(s): ${unknown.join(', ')}`);
  }
  const { algorithms, required } = value as DpopMetadataOptions;
  if (required !== undefined && typeof required !== 'boolean') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop.required" must be a boolean');
  }
  return {
    dpop_signing_alg_values_supported: resolveDpopAlgorithms(algorithms),
    dpop_bound_access_tokens_required: required ?? false,
  };
}
