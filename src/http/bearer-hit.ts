/**
 * The allocation-free pieces of the bearer gate's cache-hit path: the scopes a request needs,
 * the scope check, and the synchronous verification.
 *
 * @module
 * @internal
 */

import { verifyNow } from '../lib/verify-now.js';
import type { AuthInfo, Clock } from '../types.js';

/**
 * `required` plus the scopes `toolScopes` gives each of `tools`, without duplicates; `required`
 * itself (no copy) when no tool adds a scope.
 * @internal
 */
export function neededScopes(
  required: readonly string[],
  toolScopes: ReadonlyMap<string, readonly string[]>,
  tools: readonly string[],
): readonly string[] {
  let needed: Set<string> | undefined;
  for (const tool of tools) {
    const scopes = toolScopes.get(tool);
    if (scopes === undefined || scopes.length === 0) continue;
    needed ??= new Set(required);
    for (const scope of scopes) needed.add(scope);
  }
  return needed === undefined ? required : [...needed];
}

/** Whether the token holds every scope of `needed`. @internal */
export function hasScopes(authInfo: AuthInfo, needed: readonly string[]): boolean {
  for (const scope of needed) if (!authInfo.scopes.includes(scope)) return false;
  return true;
}

/**
 * Whether `expiresAt` (epoch seconds, when set) is still ahead of `nowMs`.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 * @internal
 */
export function unexpired({ expiresAt }: AuthInfo, nowMs: number): boolean {
  return expiresAt === undefined || (Number.isFinite(expiresAt) && expiresAt * 1000 > nowMs);
}

/**
 * The token's `AuthInfo` without a promise when the verifier already knows it (a cached accepted
 * verdict, see `VerifiesNow`) and it has not expired; `undefined` sends the request down the
 * asynchronous path, which decides every other case exactly as before.
 * @internal
 */
export function verifiedNow(verifier: object, token: string, now: Clock): AuthInfo | undefined {
  const authInfo = verifyNow(verifier, token);
  return authInfo !== undefined && unexpired(authInfo, now()) ? authInfo : undefined;
}
