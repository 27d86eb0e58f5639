/**
 * The framework-free core of the OAuth discovery endpoints: which paths exist and what each
 * answers, for the Express and `node:http` adapters to translate.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */

import { invalidArg } from '../errors.js';
import { ALLOWED_METHODS, type CorsOptions, resolveCors } from '../http/cors.js';
import { resolveFlag, resolvePositive } from '../http/options.js';
import { trimTrailingSlashes } from '../http/path.js';
import { normalizePublicUrl } from '../http/url.js';
import { integerOption } from '../lib/option-integer.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import { createSafeHttpClient } from '../ssrf/safe-http-client.js';
import type { SafeHttpClient } from '../ssrf/types.js';
import type { Clock, Logger } from '../types.js';
import {
  type AuthorizationServerMetadataSource,
  createAuthorizationServerMetadataSource,
  DEFAULT_FAILURE_BACKOFF_MS,
  DEFAULT_MAX_FAILURE_BACKOFF_MS,
  DEFAULT_MAX_STALE_MS,
  synthesizeAuthorizationServerMetadata,
} from './authorization-server.js';
import {
  buildProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from './protected-resource.js';

export type { CorsOptions } from '../http/cors.js';

/** Options of `registerOAuthDiscoveryEndpoints` and `createOAuthDiscoveryHandler`. */
export type OAuthDiscoveryOptions = ProtectedResourceMetadataOptions & {
  /** CORS on every metadata document; `false` sends no CORS headers. @default true (any origin) */
  readonly cors?: boolean | CorsOptions;
  /**
   * Authorization server metadata served for older MCP clients: `'proxy'` fetches the real
   * document (lazily, through the SSRF-safe client) and serves it verbatim; `'synthesize'` builds
   * the Python package's layout; `false` serves none.
   * @default 'proxy'
   */
  readonly authorizationServerMetadata?: 'proxy' | 'synthesize' | false;
  /** Let the `'proxy'` fetch reach private (RFC 1918, ULA, CGNAT) addresses. @default false */
  readonly allowPrivateNetwork?: boolean;
  /** How long a proxied document is cached, in ms. @default 300000 */
  readonly metadataTtlMs?: number;
  /**
   * How long past its TTL a proxied document may still be served while refreshes fail, in ms
   * (`0`: never serve a stale copy); after that, requests get 502 until a fetch succeeds.
   * @default 3600000 (1 hour)
   */
  readonly metadataMaxStaleMs?: number;
  /**
   * Wait after a failed metadata fetch before the next one, in ms; doubles with each consecutive
   * failure up to `metadataMaxFailureBackoffMs`. Meanwhile the failure (502) or the bounded stale
   * copy is answered from memory.
   * @default 5000
   */
  readonly metadataFailureBackoffMs?: number;
  /** Longest wait between metadata fetches after consecutive failures, in ms. @default 300000 */
  readonly metadataMaxFailureBackoffMs?: number;
  /** The client used by `'proxy'`. @default a new `createSafeHttpClient({ allowPrivateNetwork })` */
  readonly httpClient?: SafeHttpClient;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: Clock;
  /** Logger for refresh failures. @default the library's default logger */
  readonly logger?: Logger;
};

/** Keys of {@link OAuthDiscoveryOptions} (either form of the authorization server). */
const OAUTH_DISCOVERY_OPTIONS: OptionKeys<OAuthDiscoveryOptions> = {
  serverUrl: true,
  scopes: true,
  resourceDocumentation: true,
  resourceName: true,
  dpop: true,
  authServerPublicUrl: true,
  authorizationServers: true,
  cors: true,
  authorizationServerMetadata: true,
  allowPrivateNetwork: true,
  metadataTtlMs: true,
  metadataMaxStaleMs: true,
  metadataFailureBackoffMs: true,
  metadataMaxFailureBackoffMs: true,
  httpClient: true,
  now: true,
  logger: true,
};

/** One answer of the discovery endpoints. */
export interface DiscoveryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `undefined` for HEAD, OPTIONS and 204s. */
  readonly body: Uint8Array | undefined;
}

/** The resolved discovery endpoints. */
export interface DiscoveryResponder {
  /** Every path served, with no duplicates. */
  readonly paths: readonly string[];
  /** Answers one request, or `undefined` when `path` is not a discovery path. */
  respond(method: string, path: string, origin?: string): Promise<DiscoveryResponse | undefined>;
}

type Document = () => Promise<Uint8Array>;

const MODES: ReadonlySet<unknown> = new Set(['proxy', 'synthesize', false]);
const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function asMetadataDocuments(
  options: OAuthDiscoveryOptions,
  issuer: string,
  scopes: readonly string[],
  resource: string,
): { root: Document; scoped: Document } | undefined {
  const mode = options.authorizationServerMetadata ?? 'proxy';
  if (!MODES.has(mode)) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"authorizationServerMetadata" must be "proxy", "synthesize" or false',
    );
  }
  if (mode === false) return undefined;
  if (mode === 'synthesize') {
    const document = synthesizeAuthorizationServerMetadata(issuer, scopes);
    const root = json(document);
    const scoped = json({ ...document, resource });
    return { root: async () => root, scoped: async () => scoped };
  }
  const source: AuthorizationServerMetadataSource = createAuthorizationServerMetadataSource({
    issuer,
    httpClient:
      options.httpClient ??
      createSafeHttpClient({
        allowPrivateNetwork: resolveFlag(options.allowPrivateNetwork, 'allowPrivateNetwork', false),
      }),
    ttlMs: resolvePositive(options.metadataTtlMs, 'metadataTtlMs', 300_000),
    ...resolveBackoff(options),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const fetchBody: Document = async () => (await source.get()).body;
  return { root: fetchBody, scoped: fetchBody };
}

/** The proxy's staleness bound and back-off: integers of ms, the maximum ≥ the first wait. */
function resolveBackoff(options: OAuthDiscoveryOptions) {
  const maxStaleMs = integerOption(
    options.metadataMaxStaleMs,
    'metadataMaxStaleMs',
    DEFAULT_MAX_STALE_MS,
    0,
  );
  const failureBackoffMs = integerOption(
    options.metadataFailureBackoffMs,
    'metadataFailureBackoffMs',
    DEFAULT_FAILURE_BACKOFF_MS,
    1,
  );
  const maxFailureBackoffMs = integerOption(
    options.metadataMaxFailureBackoffMs,
    'metadataMaxFailureBackoffMs',
    Math.max(DEFAULT_MAX_FAILURE_BACKOFF_MS, failureBackoffMs),
    failureBackoffMs,
  );
  return { maxStaleMs, failureBackoffMs, maxFailureBackoffMs };
}

function routesFor(options: OAuthDiscoveryOptions): Map<string, Document> {
  const prm = buildProtectedResourceMetadata(options);
  const { path } = normalizePublicUrl(options.serverUrl, 'serverUrl');
  const prmBody = json(prm);
  const prmDocument: Document = async () => prmBody;
  const routes = new Map<string, Document>([
    ['/.well-known/oauth-protected-resource', prmDocument],
    [`/.well-known/oauth-protected-resource${path}`, prmDocument],
    [`${path}/.well-known/oauth-protected-resource`, prmDocument],
  ]);
  const issuer = prm.authorization_servers[0] as string;
  const as = asMetadataDocuments(options, issuer, prm.scopes_supported, prm.resource);
  if (as !== undefined) {
    routes.set('/.well-known/openid-configuration', as.root);
    routes.set('/.well-known/oauth-authorization-server', as.root);
    if (path !== '') routes.set(`/.well-known/oauth-authorization-server${path}`, as.scoped);
  }
  return routes;
}

/**
 * Resolves the discovery options (throwing at startup on any bad option) and returns the
 * framework-free responder. Nothing is fetched until the first request.
 *
 * @internal
 */
export function createDiscoveryResponder(options: OAuthDiscoveryOptions): DiscoveryResponder {
  assertKnownKeys(options, OAUTH_DISCOVERY_OPTIONS, 'OAuthDiscoveryOptions');
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  const cors = resolveCors(options.cors);
  const routes = routesFor(options);
  return {
    paths: Object.freeze([...routes.keys()]),
    async respond(method, path, origin) {
      const document = routes.get(path.length > 1 ? trimTrailingSlashes(path) : path);
      if (document === undefined) return undefined;
      const corsHeaders = cors(origin);
      if (method === 'OPTIONS') {
        return {
          status: 204,
          headers: { Allow: ALLOWED_METHODS, ...corsHeaders },
          body: undefined,
        };
      }
      if (method !== 'GET' && method !== 'HEAD') {
        const body = json({
          error: 'method_not_allowed',
          error_description: `Use one of: ${ALLOWED_METHODS}`,
        });
        return { status: 405, headers: jsonHeaders(body, corsHeaders), body };
      }
      return documentResponse(document, method === 'HEAD', corsHeaders);
    },
  };
}

function jsonHeaders(body: Uint8Array, extra: Record<string, string>): Record<string, string> {
  return {
    Allow: ALLOWED_METHODS,
    'Content-Type': 'application/json',
    'Content-Length': String(body.byteLength),
    ...extra,
  };
}

async function documentResponse(
  document: Document,
  head: boolean,
  corsHeaders: Record<string, string>,
): Promise<DiscoveryResponse> {
  let body: Uint8Array;
  let status = 200;
  try {
    body = await document();
  } catch {
    status = 502;
    body = json({
      error: 'temporarily_unavailable',
      error_description: 'The authorization server metadata could not be fetched',
    });
    corsHeaders = { ...corsHeaders, 'Cache-Control': 'no-store' };
  }
  return { status, headers: jsonHeaders(body, corsHeaders), body: head ? undefined : body };
}
