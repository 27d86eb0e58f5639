/**
 * Counts every decision of the bearer gate in `mcp_authflow.auth.requests`. The gate core is
 * shared by the Express, `node:http` and fetch adapters, so every adapter counts.
 *
 * @module
 * @internal
 */

import { recordAuthRequest } from './metrics.js';
import type { AuthOutcome } from './names.js';

/** The parts of a gate verdict the outcome is read from (the gate's `BearerResult`). @internal */
export type GateVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly response: { readonly status: number; readonly error: string } };

/**
 * The outcome of a gate verdict: 401 without an error code → `missing_token`; 401
 * `invalid_dpop_proof` or `use_dpop_nonce` → `invalid_dpop_proof`; any other 401 and every 400 (malformed
 * `Authorization`, `Mcp-*` header mismatch) → `invalid_token`; 403 → `insufficient_scope`;
 * anything else (503, and 500 when the verifier failed unexpectedly) → `unavailable`.
 * @internal
 */
export function authOutcomeOf(verdict: GateVerdict): AuthOutcome {
  if (verdict.ok) return 'allowed';
  const { status, error } = verdict.response;
  if (status === 401) {
    if (error === 'unauthorized') return 'missing_token';
    const dpop = error === 'invalid_dpop_proof' || error === 'use_dpop_nonce';
    return dpop ? 'invalid_dpop_proof' : 'invalid_token';
  }
  if (status === 400) return 'invalid_token';
  return status === 403 ? 'insufficient_scope' : 'unavailable';
}

/**
 * Wraps a gate so that each verdict is counted; the verdict is returned unchanged.
 *
 * @param gate - The gate.
 * @returns The counting gate, with the same name.
 * @internal
 */
export function countAuthOutcomes<Q, R extends GateVerdict>(
  gate: (request: Q) => Promise<R>,
): (request: Q) => Promise<R> {
  const counted = async (request: Q): Promise<R> => {
    const verdict = await gate(request);
    recordAuthRequest(authOutcomeOf(verdict));
    return verdict;
  };
  Object.defineProperty(counted, 'name', { value: gate.name });
  return counted;
}
