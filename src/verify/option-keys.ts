/**
 * The key lists of verification's public options types, for `assertKnownKeys`.
 *
 * @module
 * @internal
 */

import type { OptionKeys } from '../lib/option-keys.js';
import type { IntrospectionCacheOptions } from './cache.js';
import type { IntrospectionTokenVerifierOptions } from './introspection/types.js';

/** Keys of {@link IntrospectionTokenVerifierOptions}. */
export const INTROSPECTION_VERIFIER_OPTIONS: OptionKeys<IntrospectionTokenVerifierOptions> = {
  introspectionEndpoint: true,
  serverUrl: true,
  validateResource: true,
  clientId: true,
  clientSecret: true,
  clientAuthMethod: true,
  timeoutMs: true,
  maxResponseBytes: true,
  cache: true,
  allowLocalhost: true,
  allowPrivateNetwork: true,
  now: true,
  logger: true,
  httpClient: true,
};

/** Keys of {@link IntrospectionCacheOptions} (the verifier's `cache` option). */
export const INTROSPECTION_CACHE_OPTIONS: OptionKeys<IntrospectionCacheOptions> = {
  ttlMs: true,
  maxEntries: true,
  maxInFlight: true,
  maxQueued: true,
  store: true,
};
