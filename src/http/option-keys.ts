/**
 * The key lists of the bearer gate's options types, for `assertKnownKeys`.
 *
 * @module
 * @internal
 */

import type { OptionKeys } from '../lib/option-keys.js';
import type { BearerAuthOptions } from './bearer.js';

/** Keys of {@link BearerAuthOptions}. */
export const BEARER_AUTH_OPTIONS: OptionKeys<BearerAuthOptions> = {
  verifier: true,
  requiredScopes: true,
  toolScopes: true,
  resourceMetadataUrl: true,
  serverUrl: true,
  scopeChallenge: true,
  now: true,
  logger: true,
  dpop: true,
};

/** Keys of `NodeBearerAuthOptions` and `FetchBearerAuthOptions` (the gate plus a body cap). */
export const BODY_BEARER_AUTH_OPTIONS = { ...BEARER_AUTH_OPTIONS, maxBodyBytes: true } as const;
