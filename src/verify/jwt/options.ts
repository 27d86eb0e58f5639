/**
 * Validation and defaults of `JwtTokenVerifierOptions`.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../../errors.js';
import { defaultLogger } from '../../lib/logger.js';
import { integerOption } from '../../lib/option-integer.js';
import { isSafeUrl } from '../../ssrf/is-safe-url.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import type { Clock, Logger } from '../../types.js';
import type { JwtTokenType, JwtTokenVerifierOptions, JwtVerdictCacheOptions } from './types.js';

const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** Asymmetric JWS algorithms (RFC 7518 §3.1, RFC 8037, RFC 8812, fully-specified Ed25519). */
const ASYMMETRIC: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
const DEFAULT_CLOCK_SKEW_MS = 30_000;
const DEFAULT_JWKS_TTL_MS = 600_000;
const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;
const DEFAULT_CACHE_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const URL_RULE =
  'is not an allowed URL (https, or http to loopback when allowLocalhost, a single-label or *.cluster.local host)';

/** {@link JwtTokenVerifierOptions} validated, with defaults applied. */
export interface ResolvedJwtOptions {
  /** Exact issuers, or `undefined` when `issuerMatches` decides. */
  readonly issuers: readonly string[] | undefined;
  readonly issuerMatches: (iss: string) => boolean;
  readonly jwksUri: string | undefined;
  readonly serverUrl: string | undefined;
  readonly audience: readonly string[];
  readonly validateResource: boolean;
  readonly algorithms: readonly string[];
  readonly tokenType: JwtTokenType;
  readonly clockSkewMs: number;
  readonly jwksCacheTtlMs: number;
  readonly jwksCooldownMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly allowLocalhost: boolean;
  readonly allowPrivateNetwork: boolean;
  readonly httpClient: SafeHttpClient | undefined;
  readonly now: Clock;
  readonly logger: Logger;
  /** `undefined` when the verdict cache is off. */
  readonly cache: Required<JwtVerdictCacheOptions> | undefined;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a boolean`);
  }
  return value;
}

function stringList(value: unknown, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === '')) {
    throw invalidArg(
      'ERR_INVALID_ARG_TYPE',
      `The option "${name}" must be a non-empty string or an array of them`,
    );
  }
  return Object.freeze([...(list as string[])]);
}

function resolveIssuer(value: unknown, jwksUri: string | undefined, allowLocalhost: boolean) {
  if (typeof value === 'function') {
    if (jwksUri === undefined) {
      throw invalidArg(
        'ERR_INVALID_ARG_VALUE',
        'The option "jwksUri" is required when "issuer" is a function',
      );
    }
    const fn = value as (iss: string) => boolean;
    return { issuers: undefined, issuerMatches: (iss: string) => fn(iss) === true };
  }
  const issuers = stringList(value, 'issuer');
  if (issuers === undefined || issuers.length === 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "issuer" is required');
  }
  if (jwksUri === undefined && !issuers.every((iss) => isSafeUrl(iss, { allowLocalhost }))) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `The option "issuer" ${URL_RULE}`);
  }
  const set = new Set(issuers);
  return { issuers, issuerMatches: (iss: string) => set.has(iss) };
}

function resolveJwksUri(value: unknown, allowLocalhost: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "jwksUri" must be a URL string');
  }
  if (!isSafeUrl(value, { allowLocalhost })) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `The option "jwksUri" ${URL_RULE}`);
  }
  return value;
}

function resolveAlgorithms(value: unknown): readonly string[] {
  const algorithms = stringList(value, 'algorithms') ?? DEFAULT_ALGORITHMS;
  const bad = algorithms.find((alg) => !ASYMMETRIC.has(alg));
  if (algorithms.length === 0 || bad !== undefined) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      `The option "algorithms" must list asymmetric algorithms only (${[...ASYMMETRIC].join(', ')}); "none" and HS* are never accepted`,
    );
  }
  return algorithms;
}

function resolveServerUrl(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "serverUrl" must be an absolute URL');
  }
  return value;
}

function resolveCache(value: unknown): Required<JwtVerdictCacheOptions> | undefined {
  if (value === false) return undefined;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw invalidArg(
      'ERR_INVALID_ARG_TYPE',
      'The option "cache" must be an options object or false',
    );
  }
  const c = (value ?? {}) as JwtVerdictCacheOptions;
  return Object.freeze({
    ttlMs: integerOption(c.ttlMs, 'cache.ttlMs', DEFAULT_CACHE_TTL_MS, 1),
    maxEntries: integerOption(c.maxEntries, 'cache.maxEntries', DEFAULT_MAX_ENTRIES, 1),
  });
}

function checkShape(value: unknown, name: string, methods: readonly string[]): void {
  if (value === undefined) return;
  const ok =
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) {
    const what = methods.length === 0 ? 'a function' : `an object with ${methods.join(', ')}`;
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be ${what}`);
  }
}

/**
 * Validates `options`, applies defaults and returns a frozen copy; never mutates the input.
 *
 * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` or `ERR_INVALID_ARG_VALUE`, naming the option.
 */
export function resolveJwtOptions(options: JwtTokenVerifierOptions): ResolvedJwtOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The "options" argument must be an object');
  }
  const o = options;
  const allowLocalhost = flag(o.allowLocalhost, 'allowLocalhost', true);
  const jwksUri = resolveJwksUri(o.jwksUri, allowLocalhost);
  const serverUrl = resolveServerUrl(o.serverUrl);
  const audience = stringList(o.audience, 'audience') ?? [];
  const validateResource = flag(o.validateResource, 'validateResource', true);
  if (validateResource && serverUrl === undefined && audience.length === 0) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "serverUrl" or "audience" is required when validateResource is on',
    );
  }
  const tokenType = o.tokenType ?? 'at+jwt';
  if (tokenType !== 'at+jwt' && tokenType !== 'any') {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "tokenType" must be "at+jwt" or "any"');
  }
  checkShape(o.now, 'now', []);
  checkShape(o.logger, 'logger', ['debug', 'info', 'warn', 'error']);
  checkShape(o.httpClient, 'httpClient', ['request', 'close']);
  return Object.freeze({
    ...resolveIssuer(o.issuer, jwksUri, allowLocalhost),
    jwksUri,
    serverUrl,
    audience,
    validateResource,
    algorithms: resolveAlgorithms(o.algorithms),
    tokenType,
    clockSkewMs: integerOption(o.clockSkewMs, 'clockSkewMs', DEFAULT_CLOCK_SKEW_MS, 0),
    jwksCacheTtlMs: integerOption(o.jwksCacheTtlMs, 'jwksCacheTtlMs', DEFAULT_JWKS_TTL_MS, 1),
    jwksCooldownMs: integerOption(o.jwksCooldownMs, 'jwksCooldownMs', DEFAULT_JWKS_COOLDOWN_MS, 0),
    timeoutMs: integerOption(o.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS, 1),
    maxResponseBytes: integerOption(
      o.maxResponseBytes,
      'maxResponseBytes',
      DEFAULT_MAX_RESPONSE_BYTES,
      1,
    ),
    allowLocalhost,
    allowPrivateNetwork: flag(o.allowPrivateNetwork, 'allowPrivateNetwork', false),
    httpClient: o.httpClient,
    now: o.now ?? Date.now,
    logger: o.logger ?? defaultLogger,
    cache: resolveCache(o.cache),
  });
}
