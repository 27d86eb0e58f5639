/**
 * RFC 8414 authorization server metadata: fetched from the real authorization server through the
 * SSRF-safe client (validated, cached, one fetch in flight), or synthesised in the Python
 * package's layout.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc8414
 */

import { AuthflowError } from '../errors.js';
import { trimTrailingSlashes } from '../http/path.js';
import { normalizePublicUrl } from '../http/url.js';
import { defaultLogger } from '../lib/logger.js';
import type { SafeHttpClient } from '../ssrf/types.js';
import type { Clock, Logger } from '../types.js';

/** A metadata document as served: the parsed object and the exact bytes received. */
export interface AuthorizationServerMetadataDocument {
  readonly document: Readonly<Record<string, unknown>>;
  /** The body exactly as the authorization server sent it, for verbatim serving. */
  readonly body: Uint8Array;
}

/** Options of {@link createAuthorizationServerMetadataSource}. */
export interface AuthorizationServerMetadataSourceOptions {
  /** Issuer URL of the authorization server; the fetched document's `issuer` must equal it. */
  readonly issuer: string;
  /** The SSRF-safe client that performs the fetch. */
  readonly httpClient: SafeHttpClient;
  /** How long a fetched document is served before it is fetched again, in ms. @default 300000 */
  readonly ttlMs?: number;
  /** Total deadline of one fetch, in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Largest accepted document, in bytes. @default 65536 */
  readonly maxResponseBytes?: number;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: Clock;
  /**
   * How long past its TTL a document may still be served while refreshes fail, in ms; after
   * that, requests get the error until a fetch succeeds.
   * @default 3600000 (1 hour)
   */
  readonly maxStaleMs?: number;
  /**
   * Wait after a failed fetch before the next one, in ms; doubles with each consecutive failure
   * up to `maxFailureBackoffMs`. Meanwhile the failure (or the bounded stale copy) is served from
   * memory.
   * @default 5000
   */
  readonly failureBackoffMs?: number;
  /** Longest wait between fetches after consecutive failures, in ms. @default 300000 */
  readonly maxFailureBackoffMs?: number;
  /** Receives a warning when a stale document is served because a refresh failed. */
  readonly logger?: Logger;
}

/** A lazily fetched, cached authorization server metadata document. */
export interface AuthorizationServerMetadataSource {
  /**
   * The current document: cached while fresh; otherwise fetched (one fetch in flight for all
   * callers). A stale document is served when a refresh fails, for at most `maxStaleMs`; after
   * a failure no fetch is tried until the back-off has passed.
   *
   * @throws AuthflowError `ERR_METADATA_UNAVAILABLE` or `ERR_METADATA_INVALID` when nothing can be
   *   served.
   */
  get(): Promise<AuthorizationServerMetadataDocument>;
}

const DEFAULT_TTL_MS = 300_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;
/** Default of `maxStaleMs`: 1 hour. @internal */
export const DEFAULT_MAX_STALE_MS = 3_600_000;
/** Default of `failureBackoffMs`: 5 s. @internal */
export const DEFAULT_FAILURE_BACKOFF_MS = 5_000;
/** Default of `maxFailureBackoffMs`: 5 minutes. @internal */
export const DEFAULT_MAX_FAILURE_BACKOFF_MS = 300_000;

/**
 * The URLs tried for an issuer, in order: RFC 8414 §3.1 (path-inserted), then OpenID Connect
 * Discovery (appended), which is all some servers (oidc-provider) publish.
 */
function candidateUrls(issuer: string): string[] {
  const { origin, path } = normalizePublicUrl(issuer, 'issuer');
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

function sameIssuer(a: unknown, b: string): boolean {
  return typeof a === 'string' && trimTrailingSlashes(a) === trimTrailingSlashes(b);
}

function parseDocument(body: Uint8Array, issuer: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new AuthflowError('ERR_METADATA_INVALID', 'Authorization server metadata is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AuthflowError(
      'ERR_METADATA_INVALID',
      'Authorization server metadata is not an object',
    );
  }
  const document = parsed as Record<string, unknown>;
  if (!sameIssuer(document.issuer, issuer)) {
    throw new AuthflowError(
      'ERR_METADATA_INVALID',
      'Authorization server metadata names a different issuer',
    );
  }
  return document;
}

async function fetchDocument(
  options: Required<
    Omit<
      AuthorizationServerMetadataSourceOptions,
      'now' | 'logger' | 'maxStaleMs' | 'failureBackoffMs' | 'maxFailureBackoffMs'
    >
  >,
): Promise<AuthorizationServerMetadataDocument> {
  let lastStatus = 0;
  for (const url of candidateUrls(options.issuer)) {
    const response = await options.httpClient.request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
    });
    lastStatus = response.status;
    if (response.status === 200) {
      return { document: parseDocument(response.body, options.issuer), body: response.body };
    }
    if (response.status >= 500) break;
  }
  throw new AuthflowError(
    'ERR_METADATA_UNAVAILABLE',
    `Authorization server metadata could not be fetched (HTTP ${lastStatus})`,
  );
}

function asMetadataError(err: unknown): AuthflowError {
  if (err instanceof AuthflowError && err.code.startsWith('ERR_METADATA_')) return err;
  return new AuthflowError(
    'ERR_METADATA_UNAVAILABLE',
    'Authorization server metadata is unavailable',
    {
      cause: err,
    },
  );
}

/**
 * Creates a lazily fetched, TTL-cached, single-flight source of the authorization server's
 * metadata. Nothing is fetched until the first {@link AuthorizationServerMetadataSource.get}.
 *
 * @param options - Issuer, safe client, TTL and limits.
 * @returns The source.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an issuer that is not an http(s) URL.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function createAuthorizationServerMetadataSource(
  options: AuthorizationServerMetadataSourceOptions,
): AuthorizationServerMetadataSource {
  const resolved = Object.freeze({
    issuer: normalizePublicUrl(options.issuer, 'issuer').href,
    httpClient: options.httpClient,
    ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
  const now = options.now ?? Date.now;
  const logger = options.logger ?? defaultLogger;
  const maxStaleMs = options.maxStaleMs ?? DEFAULT_MAX_STALE_MS;
  const backoffMs = options.failureBackoffMs ?? DEFAULT_FAILURE_BACKOFF_MS;
  const maxBackoffMs = Math.max(
    backoffMs,
    options.maxFailureBackoffMs ?? DEFAULT_MAX_FAILURE_BACKOFF_MS,
  );
  let cached: { value: AuthorizationServerMetadataDocument; expiresAtMs: number } | undefined;
  let failure: { error: AuthflowError; retryAtMs: number; count: number } | undefined;
  let inFlight: Promise<AuthorizationServerMetadataDocument> | undefined;

  /** The stale copy, while it is within `maxStaleMs` of its expiry. */
  const stale = (): AuthorizationServerMetadataDocument | undefined =>
    cached !== undefined && now() < cached.expiresAtMs + maxStaleMs ? cached.value : undefined;

  const refresh = async (): Promise<AuthorizationServerMetadataDocument> => {
    try {
      const value = await fetchDocument(resolved);
      cached = { value, expiresAtMs: now() + resolved.ttlMs };
      failure = undefined;
      return value;
    } catch (err) {
      const error = asMetadataError(err);
      const count = (failure?.count ?? 0) + 1;
      const wait = Math.min(backoffMs * 2 ** Math.min(count - 1, 30), maxBackoffMs);
      failure = { error, retryAtMs: now() + wait, count };
      const fallback = stale();
      if (fallback === undefined) throw error;
      logger.warn({ event: 'metadata_refresh_failed', issuer: resolved.issuer, code: error.code });
      return fallback;
    } finally {
      inFlight = undefined;
    }
  };

  return {
    get() {
      if (cached !== undefined && now() < cached.expiresAtMs) return Promise.resolve(cached.value);
      if (failure !== undefined && now() < failure.retryAtMs) {
        const fallback = stale();
        return fallback === undefined ? Promise.reject(failure.error) : Promise.resolve(fallback);
      }
      inFlight ??= refresh();
      return inFlight;
    },
  };
}

/**
 * Builds authorization server metadata in the Python package's layout: `/authorize`, `/token`,
 * `/introspect`, `/register`, `/revoke` under the issuer, code flow with S256 PKCE.
 *
 * @param issuer - Public URL of the authorization server; trailing slashes dropped.
 * @param scopes - `scopes_supported`.
 * @returns The document.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an issuer that is not an http(s) URL.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function synthesizeAuthorizationServerMetadata(
  issuer: string,
  scopes: readonly string[],
): Readonly<Record<string, unknown>> {
  const base = normalizePublicUrl(issuer, 'authServerPublicUrl').href;
  return Object.freeze({
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    introspection_endpoint: `${base}/introspect`,
    registration_endpoint: `${base}/register`,
    revocation_endpoint: `${base}/revoke`,
    scopes_supported: [...scopes],
    response_types_supported: ['code'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    code_challenge_methods_supported: ['S256'],
  });
}
