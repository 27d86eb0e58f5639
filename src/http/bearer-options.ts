/**
 * The options of the bearer gate (every `requireBearerAuth` adapter): their shape, their
 * validation and their defaults.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */

import { invalidArg } from '../errors.js';
import { defaultLogger } from '../lib/logger.js';
import type { AuthInfoVerifier, Clock, Logger } from '../types.js';
import { createDpopGate, type DpopGate } from './dpop/gate.js';
import type { DpopOptions } from './dpop/options.js';
import { resolveScopes } from './options.js';
import { protectedResourceMetadataUrl } from './resource-metadata-url.js';
import { normalizePublicUrl } from './url.js';

/** Options of every `requireBearerAuth` adapter. */
export interface BearerAuthOptions {
  /** Any SDK token verifier; `IntrospectionTokenVerifier` from this library fits. */
  readonly verifier: AuthInfoVerifier & { readonly serverUrl?: unknown };
  /** Scopes every request needs. @default [] */
  readonly requiredScopes?: readonly string[];
  /**
   * Extra scopes per tool (`{ delete_task: ['tasks:write'] }`), checked from the JSON-RPC body of
   * `tools/call` (single or batch) before the tool runs.
   * @default {}
   */
  readonly toolScopes?: Readonly<Record<string, readonly string[]>>;
  /**
   * The RFC 9728 metadata URL put in every challenge.
   * @default the path-inserted metadata URL of `serverUrl`, else of the verifier's `serverUrl`
   */
  readonly resourceMetadataUrl?: string;
  /** Public URL of the MCP endpoint, used to derive `resourceMetadataUrl`. */
  readonly serverUrl?: string;
  /**
   * Scopes named by a 403: `'cumulative'` (those needed plus those the token holds, so clients
   * that replace their scopes keep them) or `'operation'` (only those needed).
   * @default 'cumulative'
   */
  readonly scopeChallenge?: 'cumulative' | 'operation';
  /** Clock for the expiry check, epoch ms. @default Date.now */
  readonly now?: Clock;
  /** Receives a record (never the token) when the verifier fails unexpectedly. */
  readonly logger?: Logger;
  /**
   * DPoP sender-constrained tokens (RFC 9449): the `DPoP` scheme, proofs, replay and nonces.
   * `htu` is checked against the origin of `serverUrl` (else the verifier's) plus the path.
   * @default false
   */
  readonly dpop?: false | DpopOptions;
}

/** The gate options after validation, with defaults applied. */
export interface ResolvedBearerAuthOptions {
  readonly verifier: AuthInfoVerifier;
  readonly requiredScopes: readonly string[];
  readonly toolScopes: ReadonlyMap<string, readonly string[]>;
  readonly resourceMetadataUrl: string | undefined;
  readonly scopeChallenge: 'cumulative' | 'operation';
  readonly now: Clock;
  readonly logger: Logger;
  readonly dpop: DpopGate | undefined;
}

function resolveToolScopes(value: unknown): ReadonlyMap<string, readonly string[]> {
  if (value === undefined) return new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"toolScopes" must be an object of scope arrays');
  }
  return new Map(
    Object.entries(value).map(([tool, scopes]) => [tool, resolveScopes(scopes, 'toolScopes')]),
  );
}

function publicServerUrl(options: BearerAuthOptions): string | undefined {
  const fromVerifier = options.verifier.serverUrl;
  return options.serverUrl ?? (typeof fromVerifier === 'string' ? fromVerifier : undefined);
}

function resolveMetadataUrl(options: BearerAuthOptions): string | undefined {
  if (options.resourceMetadataUrl !== undefined) {
    return normalizePublicUrl(options.resourceMetadataUrl, 'resourceMetadataUrl').href;
  }
  if (options.serverUrl !== undefined) return protectedResourceMetadataUrl(options.serverUrl);
  const fromVerifier = options.verifier.serverUrl;
  return typeof fromVerifier === 'string' ? protectedResourceMetadataUrl(fromVerifier) : undefined;
}

/**
 * Validates the gate options, applies defaults and returns a frozen copy.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 */
export function resolveBearerAuthOptions(options: BearerAuthOptions): ResolvedBearerAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  if (typeof options.verifier?.verifyAccessToken !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"verifier" must implement verifyAccessToken()');
  }
  const scopeChallenge = options.scopeChallenge ?? 'cumulative';
  if (scopeChallenge !== 'cumulative' && scopeChallenge !== 'operation') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"scopeChallenge" must be "cumulative" or "operation"',
    );
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"now" must be a function');
  }
  return Object.freeze({
    verifier: options.verifier,
    requiredScopes: resolveScopes(options.requiredScopes ?? [], 'requiredScopes'),
    toolScopes: resolveToolScopes(options.toolScopes),
    resourceMetadataUrl: resolveMetadataUrl(options),
    scopeChallenge,
    now: options.now ?? Date.now,
    logger: options.logger ?? defaultLogger,
    dpop: createDpopGate(options.dpop, publicServerUrl(options), options.now ?? Date.now),
  });
}
