/**
 * The synchronous cache-hit path a token verifier may offer next to the SDK's
 * `verifyAccessToken`, so the bearer gate decides a request with a cached token without a
 * promise.
 *
 * @module
 * @internal
 */

import type { AuthInfo } from '../types.js';

/**
 * The method key. Registered (`Symbol.for`), so two copies of the library (its ESM and CommonJS
 * builds, or nested installs) see each other's verifiers.
 * @internal
 */
export const VERIFY_NOW: unique symbol = Symbol.for('mcp-authflow-resource.verifyNow');

/**
 * A verifier with the synchronous path: `[VERIFY_NOW](token)` returns exactly what
 * `verifyAccessToken(token)` would resolve to when that is already known (an accepted verdict in
 * an in-memory cache), with the same telemetry, and `undefined` in every other case — a miss, a
 * rejection, a shared store, a lookup in flight — which `verifyAccessToken` then decides. It
 * never throws and never starts I/O.
 * @internal
 */
export interface VerifiesNow {
  [VERIFY_NOW](token: string): AuthInfo | undefined;
}

/**
 * `verifier[VERIFY_NOW](token)` when the verifier has it, else `undefined`.
 *
 * @param verifier - Any token verifier.
 * @param token - The bearer token.
 * @internal
 */
export function verifyNow(verifier: object, token: string): AuthInfo | undefined {
  const now = (verifier as Partial<VerifiesNow>)[VERIFY_NOW];
  return typeof now === 'function' ? now.call(verifier, token) : undefined;
}
