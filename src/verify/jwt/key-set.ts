/**
 * One issuer's signing keys: fetched through the SSRF-safe client, verified locally with jose's
 * `createLocalJWKSet`, refreshed on the injected clock.
 *
 * jose's `createRemoteJWKSet` is not used: it opens its own connections, reads `Date.now` and
 * drops known keys when a refresh fails.
 *
 * @module
 * @internal
 */

import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters } from 'jose';
import { VerifierUnavailableError } from '../../errors.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import type { Clock, Logger } from '../../types.js';
import { type FetchLimits, fetchJwks } from './fetch-json.js';
import { discoverJwksUri } from './metadata.js';

/** What a key set needs from the verifier. */
export interface KeySetContext extends FetchLimits {
  readonly http: SafeHttpClient;
  readonly now: Clock;
  readonly logger: Logger;
  readonly jwksCacheTtlMs: number;
  readonly jwksCooldownMs: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;
type VerificationKey = Awaited<ReturnType<LocalKeySet>>;

/** Most protected headers remembered per key set (an issuer signs with a handful). */
const MAX_VERIFIED_HEADERS = 64;

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.name : typeof err;
}

/**
 * The keys of one issuer (or of one `jwksUri` for a predicate issuer).
 *
 * - The first fetch is shared: concurrent cold verifications wait for one metadata and one JWKS
 *   request.
 * - After `jwksCacheTtlMs` the set is refreshed in the background while the known keys keep
 *   verifying.
 * - An unknown `kid` refetches at most once per `jwksCooldownMs`, single-flight.
 * - A failed fetch keeps the known keys (stale-while-error); an unknown key meanwhile, or no
 *   keys at all, is a {@link VerifierUnavailableError} (503), never a rejection.
 */
export class IssuerKeySet {
  readonly #ctx: KeySetContext;
  readonly #issuer: string | undefined;
  #jwksUri: string | undefined;
  #keys: LocalKeySet | undefined;
  /** Bumped whenever `#keys` is replaced. */
  #generation = 0;
  /** Keys that verified a signature, by the token's protected header segment (this generation). */
  #verifiedKeys = new Map<string, VerificationKey>();
  #fetchedAtMs = Number.NEGATIVE_INFINITY;
  #attemptAtMs = Number.NEGATIVE_INFINITY;
  #failed = false;
  #flight: Promise<void> | undefined;

  /**
   * @param ctx - clock, limits and the HTTP client
   * @param source - the key set URL, or the issuer to discover it from
   */
  constructor(ctx: KeySetContext, source: { jwksUri: string } | { issuer: string }) {
    this.#ctx = ctx;
    this.#jwksUri = 'jwksUri' in source ? source.jwksUri : undefined;
    this.#issuer = 'issuer' in source ? source.issuer : undefined;
  }

  /**
   * The verification key for a token header (jose's `JWTVerifyGetKey`).
   *
   * @throws jose's `JWKSNoMatchingKey` when the key is unknown after the refetch the cooldown
   *   allows, or `VerifierUnavailableError` when the keys cannot be fetched.
   */
  async getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<VerificationKey> {
    if (this.#keys === undefined) {
      await this.#refresh();
    } else if (this.#ctx.now() - this.#fetchedAtMs >= this.#ctx.jwksCacheTtlMs) {
      this.#refreshInBackground();
    }
    try {
      return await (this.#keys as LocalKeySet)(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      await this.#refresh();
      return (this.#keys as LocalKeySet)(header, token);
    }
  }

  /** Which set of keys is current: changes whenever the set is replaced. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * The key that already verified a signature under this exact protected header (the token's
   * first segment) with the current keys, without a promise; else `undefined` (then use
   * {@link getKey}). Starts the background refresh when the set is older than its TTL, as
   * {@link getKey} does.
   */
  verifiedKey(protectedHeader: string): VerificationKey | undefined {
    if (this.#keys === undefined) return undefined;
    if (this.#ctx.now() - this.#fetchedAtMs >= this.#ctx.jwksCacheTtlMs) {
      this.#refreshInBackground();
    }
    return this.#verifiedKeys.get(protectedHeader);
  }

  /**
   * Records that `key`, found by {@link getKey} while {@link generation} was `generation`,
   * verified a signature under `protectedHeader`. Ignored when the keys were replaced meanwhile.
   */
  rememberVerified(protectedHeader: string, key: VerificationKey, generation: number): void {
    if (generation !== this.#generation) return;
    if (this.#verifiedKeys.size >= MAX_VERIFIED_HEADERS) this.#verifiedKeys.clear();
    this.#verifiedKeys.set(protectedHeader, key);
  }

  /**
   * Joins the fetch in flight, or starts one unless the last attempt is within the cooldown.
   * Resolves when usable keys are there (a success within the cooldown counts); throws
   * `VerifierUnavailableError` when the last attempt failed.
   */
  async #refresh(): Promise<void> {
    if (this.#flight !== undefined) return this.#flight;
    const sinceMs = this.#ctx.now() - this.#attemptAtMs;
    if (sinceMs >= this.#ctx.jwksCooldownMs) return this.#start();
    if (this.#failed || this.#keys === undefined) throw this.#unavailable();
  }

  #refreshInBackground(): void {
    if (this.#flight !== undefined) return;
    if (this.#ctx.now() - this.#attemptAtMs < this.#ctx.jwksCooldownMs) return;
    // Failures are logged in #start; the known keys keep verifying meanwhile.
    this.#start().catch(() => {});
  }

  #start(): Promise<void> {
    this.#attemptAtMs = this.#ctx.now();
    const flight = this.#load().then(
      (keys) => {
        this.#keys = keys;
        this.#generation++;
        this.#verifiedKeys = new Map();
        this.#fetchedAtMs = this.#ctx.now();
        this.#failed = false;
      },
      (err: unknown) => {
        this.#failed = true;
        this.#ctx.logger.warn({ event: 'jwks_unavailable', error: errorCode(err) });
        throw this.#unavailable(err);
      },
    );
    this.#flight = flight.finally(() => {
      this.#flight = undefined;
    });
    return this.#flight;
  }

  async #load(): Promise<LocalKeySet> {
    // `#issuer` is set whenever `#jwksUri` is not (see the constructor).
    this.#jwksUri ??= await discoverJwksUri(this.#ctx.http, this.#issuer as string, this.#ctx);
    return createLocalJWKSet(await fetchJwks(this.#ctx.http, this.#jwksUri, this.#ctx));
  }

  #unavailable(cause?: unknown): VerifierUnavailableError {
    const leftMs = this.#attemptAtMs + this.#ctx.jwksCooldownMs - this.#ctx.now();
    return new VerifierUnavailableError('The issuer keys cannot be fetched', {
      cause,
      retryAfterSeconds: Math.max(1, Math.ceil(leftMs / 1000)),
    });
  }
}
