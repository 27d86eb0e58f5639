/**
 * Validation and defaults of `IntrospectionTokenVerifierOptions`.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../../errors.js';
import { defaultLogger } from '../../lib/logger.js';
import { isSafeUrl } from '../../ssrf/is-safe-url.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import type { Clock, Logger } from '../../types.js';
import {
  createMemoryIntrospectionCache,
  type IntrospectionCache,
  type IntrospectionCacheOptions,
} from '../cache.js';
import type { ClientCredentials } from './request.js';
import type { ClientAuthMethod, IntrospectionTokenVerifierOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;
const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_IN_FLIGHT = 32;
const DEFAULT_MAX_QUEUED = 1000;
const AUTH_METHODS: ReadonlySet<string> = new Set([
  'client_secret_basic',
  'client_secret_post',
  'bearer',
  'none',
]);

/** {@link IntrospectionTokenVerifierOptions} validated, with defaults applied. */
export interface ResolvedIntrospectionOptions {
  readonly introspectionEndpoint: string;
  readonly serverUrl: string | undefined;
  readonly validateResource: boolean;
  readonly credentials: ClientCredentials;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** `undefined` when caching is off. */
  readonly cache: IntrospectionCache | undefined;
  readonly ttlMs: number;
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly allowLocalhost: boolean;
  readonly allowPrivateNetwork: boolean;
  readonly now: Clock;
  readonly logger: Logger;
  readonly httpClient: SafeHttpClient | undefined;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a boolean`);
  return value;
}

function integer(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number')
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a number`);
  if (!Number.isSafeInteger(value) || value < min) {
    const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${name}" must be ${what}`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a string`);
  if (value.length === 0) throw invalidArg('ERR_INVALID_ARG_VALUE', `"${name}" must not be empty`);
  return value;
}

function resolveCredentials(o: IntrospectionTokenVerifierOptions): ClientCredentials {
  const clientId = optionalString(o.clientId, 'clientId');
  const clientSecret = optionalString(o.clientSecret, 'clientSecret');
  const method =
    o.clientAuthMethod ?? (clientSecret === undefined ? 'none' : 'client_secret_basic');
  if (typeof method !== 'string' || !AUTH_METHODS.has(method)) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"clientAuthMethod" must be one of client_secret_basic, client_secret_post, bearer, none',
    );
  }
  const needsSecret = method !== 'none';
  if (needsSecret && clientSecret === undefined) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      `"clientSecret" is required for clientAuthMethod "${method}"`,
    );
  }
  if ((method === 'client_secret_basic' || method === 'client_secret_post') && !clientId) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      `"clientId" is required for clientAuthMethod "${method}"`,
    );
  }
  return Object.freeze({ clientAuthMethod: method as ClientAuthMethod, clientId, clientSecret });
}

function resolveEndpoint(value: unknown, allowLocalhost: boolean): string {
  if (typeof value !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"introspectionEndpoint" must be a URL string');
  }
  if (!isSafeUrl(value, { allowLocalhost })) {
    // The URL itself is not echoed: it may carry credentials in its userinfo or query.
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"introspectionEndpoint" is not an allowed URL (https, or http to loopback when allowLocalhost, a single-label or *.cluster.local host)',
    );
  }
  return value;
}

function resolveServerUrl(value: unknown, validateResource: boolean): string | undefined {
  const serverUrl = optionalString(value, 'serverUrl');
  if (serverUrl === undefined && !validateResource) return undefined;
  if (serverUrl === undefined || !URL.canParse(serverUrl)) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"serverUrl" must be an absolute URL when validateResource is on',
    );
  }
  return serverUrl;
}

function resolveCacheOptions(value: unknown): IntrospectionCacheOptions | false {
  if (value === false) return false;
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"cache" must be an options object or false');
  }
  return value as IntrospectionCacheOptions;
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a function`);
  }
}

function checkObject(value: unknown, name: string, methods: readonly string[]): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok)
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must have methods ${methods.join(', ')}`);
}

/**
 * Validates `options`, applies defaults and returns a frozen copy; never mutates the input.
 *
 * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` or `ERR_INVALID_ARG_VALUE`, naming the option.
 */
export function resolveIntrospectionOptions(
  options: IntrospectionTokenVerifierOptions,
): ResolvedIntrospectionOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  const o = options;
  const allowLocalhost = flag(o.allowLocalhost, 'allowLocalhost', true);
  const validateResource = flag(o.validateResource, 'validateResource', true);
  checkFunction(o.now, 'now');
  checkObject(o.logger, 'logger', ['debug', 'info', 'warn', 'error']);
  checkObject(o.httpClient, 'httpClient', ['request', 'close']);
  const cache = resolveCacheOptions(o.cache);
  const c = cache === false ? {} : cache;
  checkObject(c.store, 'cache.store', ['get', 'set', 'delete']);
  const now = o.now ?? Date.now;
  const maxEntries = integer(c.maxEntries, 'cache.maxEntries', DEFAULT_MAX_ENTRIES);
  return Object.freeze({
    introspectionEndpoint: resolveEndpoint(o.introspectionEndpoint, allowLocalhost),
    serverUrl: resolveServerUrl(o.serverUrl, validateResource),
    validateResource,
    credentials: resolveCredentials(o),
    timeoutMs: integer(o.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    maxResponseBytes: integer(o.maxResponseBytes, 'maxResponseBytes', DEFAULT_MAX_RESPONSE_BYTES),
    cache:
      cache === false
        ? undefined
        : (c.store ?? createMemoryIntrospectionCache({ maxEntries, now })),
    ttlMs: integer(c.ttlMs, 'cache.ttlMs', DEFAULT_TTL_MS),
    maxInFlight: integer(c.maxInFlight, 'cache.maxInFlight', DEFAULT_MAX_IN_FLIGHT),
    maxQueued: integer(c.maxQueued, 'cache.maxQueued', DEFAULT_MAX_QUEUED, 0),
    allowLocalhost,
    allowPrivateNetwork: flag(o.allowPrivateNetwork, 'allowPrivateNetwork', false),
    now,
    logger: o.logger ?? defaultLogger,
    httpClient: o.httpClient,
  });
}
