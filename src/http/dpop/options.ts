/**
 * The `dpop` option of `requireBearerAuth` (DESIGN §6.2), validated once.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */

import { invalidArg } from '../../errors.js';
import { createNonceSource, type DpopNonceSource } from './nonce.js';
import { createMemoryReplayStore, type DpopReplayStore } from './replay.js';

/** Asymmetric JWS algorithms a DPoP proof may use; `none` and HMAC never. */
export const DPOP_SUPPORTED_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
]);

const DEFAULT_ALGORITHMS = Object.freeze(['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519']);

/** Server nonce settings (RFC 9449 §8). */
export interface DpopNonceOptions {
  /** Shared by replicas so they accept each other's nonces. @default random per process */
  readonly secret?: string | Uint8Array;
  /** How long one nonce is issued; each is accepted for up to twice this. @default 300_000 */
  readonly ttlMs?: number;
}

/**
 * DPoP checks at the gate (RFC 9449 §7.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export interface DpopOptions {
  /**
   * `'allowed'`: tokens bound to a key (`cnf.jkt`) need a proof, unbound bearer tokens still
   * pass; `'required'`: every token must be DPoP-bound.
   * @default 'allowed'
   */
  readonly mode?: 'allowed' | 'required';
  /** Proof algorithms accepted. @default ['ES256','RS256','PS256','EdDSA','Ed25519'] */
  readonly algorithms?: readonly string[];
  /** A proof whose `iat` is older than this (or more than 5 s ahead) is refused. @default 60_000 */
  readonly proofMaxAgeMs?: number;
  /** Where seen `jti`s are kept: a `MemoryStore`, a `RedisStore` (shared by replicas). @default in memory */
  readonly replayStore?: DpopReplayStore;
  /** Require server-issued nonces (`use_dpop_nonce` + `DPoP-Nonce`). @default false */
  readonly nonce?: boolean | DpopNonceOptions;
}

/** {@link DpopOptions} after validation. */
export interface ResolvedDpopOptions {
  readonly mode: 'allowed' | 'required';
  readonly algorithms: readonly string[];
  readonly proofMaxAgeMs: number;
  readonly replayStore: DpopReplayStore;
  readonly nonce: DpopNonceSource | undefined;
}

const KEYS: ReadonlySet<string> = new Set([
  'mode',
  'algorithms',
  'proofMaxAgeMs',
  'replayStore',
  'nonce',
]);

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${name}" must be a positive integer of ms`);
  }
  return value;
}

/**
 * Validates a list of DPoP proof algorithms (asymmetric JWS algorithms only).
 *
 * @param value - The list as given; `undefined` gives the default.
 * @returns A frozen list without duplicates.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.1
 */
export function resolveDpopAlgorithms(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_ALGORITHMS;
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop.algorithms" must be a non-empty array');
  }
  for (const alg of value) {
    if (typeof alg !== 'string' || !DPOP_SUPPORTED_ALGORITHMS.includes(alg)) {
      throw invalidArg(
        'ERR_INVALID_ARG_VALUE',
        `"dpop.algorithms" may hold only ${DPOP_SUPPORTED_ALGORITHMS.join(', ')}`,
      );
    }
  }
  return Object.freeze([...new Set(value as string[])]);
}

function nonceSource(value: unknown, now: () => number): DpopNonceSource | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return createNonceSource(undefined, 300_000, now);
  if (typeof value !== 'object' || value === null) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop.nonce" must be a boolean or an object');
  }
  const { secret, ttlMs } = value as DpopNonceOptions;
  if (secret !== undefined) {
    const bytes = typeof secret === 'string' ? Buffer.byteLength(secret) : secret?.byteLength;
    if (!(typeof secret === 'string' || secret instanceof Uint8Array) || (bytes ?? 0) < 16) {
      throw invalidArg('ERR_INVALID_ARG_VALUE', '"dpop.nonce.secret" must be at least 16 bytes');
    }
  }
  return createNonceSource(secret, positive(ttlMs, 'dpop.nonce.ttlMs', 300_000), now);
}

/**
 * Validates the `dpop` option.
 *
 * @param value - The option as given; `undefined`/`false` turns DPoP off.
 * @param now - The gate's clock, epoch ms.
 * @returns The resolved options, or `undefined` when DPoP is off.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad field.
 */
export function resolveDpopOptions(
  value: unknown,
  now: () => number,
): ResolvedDpopOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop" must be false or an object');
  }
  const unknown = Object.keys(value).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `Unknown "dpop" option(s): ${unknown.join(', ')}`);
  }
  const o = value as DpopOptions;
  const mode = o.mode ?? 'allowed';
  if (mode !== 'allowed' && mode !== 'required') {
    throw invalidArg('ERR_INVALID_ARG_VALUE', '"dpop.mode" must be "allowed" or "required"');
  }
  if (o.replayStore !== undefined && typeof o.replayStore?.setIfAbsent !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"dpop.replayStore" must implement setIfAbsent()');
  }
  return Object.freeze({
    mode,
    algorithms: resolveDpopAlgorithms(o.algorithms),
    proofMaxAgeMs: positive(o.proofMaxAgeMs, 'dpop.proofMaxAgeMs', 60_000),
    replayStore: o.replayStore ?? createMemoryReplayStore({ now }),
    nonce: nonceSource(o.nonce, now),
  });
}
