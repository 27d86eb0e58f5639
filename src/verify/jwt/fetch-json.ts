/**
 * The two outbound reads of the JWT verifier: an authorization server metadata document and a
 * JSON Web Key Set, both through the SSRF-safe client, both a JSON object or an error.
 *
 * @module
 * @internal
 */

import type { JSONWebKeySet } from 'jose';
import { AuthflowError } from '../../errors.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import { observeJwksFetch } from '../../telemetry/jwks.js';

/** Deadline and size cap of one request. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * GETs `url` and returns its body as a JSON object. Only HTTP 200 counts: a redirect is never
 * followed (the safe client returns it as it is) and is an error like any other status.
 *
 * @throws `AuthflowError` `ERR_METADATA_UNAVAILABLE` (status other than 200),
 *   `ERR_METADATA_INVALID` (not a JSON object), or the safe client's `ERR_SSRF_BLOCKED`,
 *   `ERR_HTTP_TIMEOUT`, `ERR_HTTP_RESPONSE_TOO_LARGE`, `ERR_HTTP_NETWORK`.
 */
export async function fetchJsonObject(
  http: SafeHttpClient,
  url: string,
  limits: FetchLimits,
): Promise<Record<string, unknown>> {
  const response = await http.request(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    timeoutMs: limits.timeoutMs,
    maxResponseBytes: limits.maxResponseBytes,
  });
  if (response.status !== 200) {
    throw new AuthflowError(
      'ERR_METADATA_UNAVAILABLE',
      `Unexpected HTTP status ${response.status}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(decoder.decode(response.body));
  } catch (cause) {
    throw new AuthflowError('ERR_METADATA_INVALID', 'The document is not JSON', { cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new AuthflowError('ERR_METADATA_INVALID', 'The document is not a JSON object');
  }
  return document as Record<string, unknown>;
}

/**
 * Fetches the JSON Web Key Set at `jwksUri`: the one place a key set is fetched, so every real
 * round trip (and only those) gets an `mcp_authflow.jwks.fetch` span and a count in
 * `mcp_authflow.jwks.fetches` (DESIGN §6.4); a body that is not a key set counts as `error`.
 *
 * @throws as {@link fetchJsonObject}; `ERR_METADATA_INVALID` when `keys` is not an array.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export async function fetchJwks(
  http: SafeHttpClient,
  jwksUri: string,
  limits: FetchLimits,
): Promise<JSONWebKeySet> {
  return observeJwksFetch(async () => {
    const document = await fetchJsonObject(http, jwksUri, limits);
    if (!Array.isArray(document.keys)) {
      throw new AuthflowError('ERR_METADATA_INVALID', 'The JWKS has no "keys" array');
    }
    return document as unknown as JSONWebKeySet;
  });
}
