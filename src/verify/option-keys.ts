/**
 * The key lists of verification's public options types, for `assertKnownKeys`.
 *
 * @module
 * @internal
 */

import type { OptionKeys } from '../lib/option-keys.js';
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
