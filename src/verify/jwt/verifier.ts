/**
 * `JwtTokenVerifier`: RFC 9068 JWT access tokens verified locally against the issuer's JSON
 * Web Key Set, with RFC 8707 audience binding and a verdict cache that never outlives `exp`.
 * It implements the MCP SDK's `OAuthTokenVerifier`.
 *
 * @module
 */

import { hash } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import { TokenRejectedError, VerifierUnavailableError } from '../../errors.js';
import { VERIFY_NOW } from '../../lib/verify-now.js';
import { createSafeHttpClient } from '../../ssrf/safe-http-client.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import {
  countCacheHit,
  observeVerification,
  type VerificationProbe,
} from '../../telemetry/verification.js';
import type { AuthInfo, AuthInfoVerifier } from '../../types.js';
import { parseUrl } from '../introspection/claims.js';
import { type AccessToken, type TokenVerifier, toAuthInfo } from '../verifier.js';
import { bindIssuer, type IssuerBinding } from './binding.js';
import { type AudienceAcceptor, audienceAcceptor, jwtClientId, jwtScopes } from './claims.js';
import { IssuerKeySet } from './key-set.js';
import { type ResolvedJwtOptions, resolveJwtOptions } from './options.js';
import { REJECTION_MESSAGES, rejectionOf } from './rejection.js';
import { isCompactJws } from './shape.js';
import type { JwtTokenVerifierOptions } from './types.js';
import { VerdictCache } from './verdict-cache.js';

/**
 * Verifies JWT access tokens (RFC 9068) with the issuer's keys, fetched through the SSRF-safe
 * client.
 *
 * - `verifyAccessToken` (the SDK's `OAuthTokenVerifier`) resolves to `AuthInfo` or throws
 *   `TokenRejectedError` (401: `ERR_TOKEN_MALFORMED`, `ERR_TOKEN_INACTIVE`,
 *   `ERR_TOKEN_EXPIRED`, `ERR_TOKEN_AUDIENCE`) or `VerifierUnavailableError` (503 +
 *   `Retry-After`: `ERR_VERIFIER_UNAVAILABLE`) when an unknown key cannot be fetched.
 * - `verifyToken` resolves to an `AccessToken`, or `null` for any rejection or outage.
 * - `alg: none` and HMAC are always refused; `jku`, `x5u`, `jwk` and `x5c` headers are never
 *   used to find a key, and a `crit` header rejects the token.
 *
 * @example
 * ```ts
 * const verifier = new JwtTokenVerifier({
 *   issuer: 'https://auth.example.com',
 *   serverUrl: 'https://mcp.example.com/mcp',
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068
 * @see https://www.rfc-editor.org/rfc/rfc8725
 */
export class JwtTokenVerifier implements AuthInfoVerifier, TokenVerifier {
  readonly #options: ResolvedJwtOptions;
  readonly #http: SafeHttpClient;
  readonly #ownsHttp: boolean;
  /** Per exact issuer; keys fetched for one issuer never verify another's tokens. */
  readonly #bindings = new Map<string, IssuerBinding>();
  /** The one binding of a predicate issuer (its `jwksUri`). */
  readonly #shared: IssuerBinding | undefined;
  /** The binding of the only exact issuer, when there is one (no `iss` read before the check). */
  readonly #only: IssuerBinding | undefined;
  readonly #acceptAudience: AudienceAcceptor;
  readonly #cache: VerdictCache | undefined;
  /** `serverUrl` parsed once: `AuthInfo.resource`. */
  readonly #serverUrl: URL | undefined;
  readonly #authInfos = new WeakMap<AccessToken, AuthInfo>();
  /** `#authInfoOf` bound once: `verifyAccessToken` makes no closure per call. */
  readonly #toAuthInfo = (accessToken: AccessToken): AuthInfo => this.#authInfoOf(accessToken);

  /**
   * @param options - see {@link JwtTokenVerifierOptions}
   * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the
   *   option: no `issuer`, a function `issuer` without `jwksUri`, an issuer or `jwksUri` that
   *   `isSafeUrl` refuses, `none`/`HS*` or an unknown algorithm, neither `serverUrl` nor
   *   `audience` while `validateResource` is on, a negative or non-integer time or size.
   */
  constructor(options: JwtTokenVerifierOptions) {
    const o = resolveJwtOptions(options);
    this.#options = o;
    this.#ownsHttp = o.httpClient === undefined;
    this.#http =
      o.httpClient ??
      createSafeHttpClient({
        allowLocalhost: o.allowLocalhost,
        allowPrivateNetwork: o.allowPrivateNetwork,
      });
    const ctx = { ...o, http: this.#http };
    for (const issuer of o.issuers ?? []) {
      const source = o.jwksUri === undefined ? { issuer } : { jwksUri: o.jwksUri };
      this.#bindings.set(issuer, this.#bind(new IssuerKeySet(ctx, source), issuer));
    }
    if (o.issuers === undefined) {
      // resolveJwtOptions requires jwksUri for a predicate issuer.
      const keySet = new IssuerKeySet(ctx, { jwksUri: o.jwksUri as string });
      this.#shared = this.#bind(keySet, undefined);
    }
    this.#only = o.issuers?.length === 1 ? this.#bindings.get(o.issuers[0] as string) : undefined;
    this.#acceptAudience = audienceAcceptor(o);
    this.#cache = o.cache === undefined ? undefined : new VerdictCache(o.cache.maxEntries);
    this.#serverUrl = o.serverUrl === undefined ? undefined : parseUrl(o.serverUrl);
  }

  /** This resource server's URL (`serverUrl`), for the gate's default metadata URL. */
  get serverUrl(): string | undefined {
    return this.#options.serverUrl;
  }

  /**
   * Verifies `token` for the MCP SDK.
   *
   * @param token - the bearer token
   * @returns `AuthInfo` with `expiresAt` (epoch seconds, the token's `exp`) and `resource`
   * @throws `TokenRejectedError` or `VerifierUnavailableError` (see the class notes)
   */
  verifyAccessToken(token: string): Promise<AuthInfo> {
    return this.#verify(token).then(this.#toAuthInfo);
  }

  /**
   * The cache-hit path without a promise (see `VerifiesNow`): the `AuthInfo` of an accepted,
   * unexpired verdict in the in-memory verdict cache, else `undefined`.
   * @internal
   */
  [VERIFY_NOW](token: string): AuthInfo | undefined {
    const cache = this.#cache;
    if (cache === undefined || !isCompactJws(token)) return undefined;
    const nowMs = this.#options.now();
    const hit = cache.get(hash('sha256', token, 'base64url'), nowMs);
    if (hit === undefined || !((hit.expiresAt as number) * 1000 > nowMs)) return undefined;
    countCacheHit('jwt');
    return this.#authInfoOf(hit);
  }

  /** A fresh `AuthInfo` for the token (built once per cached verdict, then copied). */
  #authInfoOf(accessToken: AccessToken): AuthInfo {
    if (this.#cache === undefined) return toAuthInfo(accessToken, this.#resourceOf(accessToken));
    let authInfo = this.#authInfos.get(accessToken);
    if (authInfo === undefined) {
      authInfo = toAuthInfo(accessToken, this.#resourceOf(accessToken));
      this.#authInfos.set(accessToken, authInfo);
    }
    return { ...authInfo, scopes: [...authInfo.scopes], extra: { ...authInfo.extra } };
  }

  /** `AuthInfo.resource`: `serverUrl`, else the accepted audience when it is a URL. */
  #resourceOf({ resource }: AccessToken): URL | undefined {
    return this.#serverUrl ?? (resource === undefined ? undefined : parseUrl(resource));
  }

  /**
   * Verifies `token`; seed-compatible.
   *
   * @param token - the bearer token
   * @returns the verified token, or `null` when it is rejected or the keys are unavailable
   */
  async verifyToken(token: string): Promise<AccessToken | null> {
    try {
      return await this.#verify(token);
    } catch {
      // #verify throws only TokenRejectedError and VerifierUnavailableError (see #rethrow).
      return null;
    }
  }

  /** Releases pooled connections (only of the HTTP client the verifier created itself). */
  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close();
  }

  #bind(keySet: IssuerKeySet, issuer: string | undefined): IssuerBinding {
    const { algorithms, tokenType, clockSkewMs } = this.#options;
    return bindIssuer(keySet, {
      algorithms,
      clockSkewMs,
      issuer,
      atJwt: tokenType === 'at+jwt',
      onCrit: () => this.#reject('ERR_TOKEN_MALFORMED', 'crit'),
    });
  }

  #verify(token: string): Promise<AccessToken> {
    return observeVerification('jwt', (probe) => this.#check(token, probe));
  }

  /** Never throws: every failure is a rejected promise. */
  #check(token: string, probe: VerificationProbe): Promise<AccessToken> {
    if (!isCompactJws(token)) return Promise.reject(this.#reject('ERR_TOKEN_MALFORMED', 'syntax'));
    const cache = this.#cache;
    if (cache === undefined) return this.#verifyUncached(token);
    const key = hash('sha256', token, 'base64url');
    const nowMs = this.#options.now();
    const hit = cache.get(key, nowMs);
    if (hit !== undefined) {
      probe.cache = 'hit';
      return Promise.resolve(hit);
    }
    return this.#verifyUncached(token).then((accessToken) => {
      if (accessToken.expiresAt !== undefined) {
        const ttlMs = (this.#options.cache as { ttlMs: number }).ttlMs;
        cache.set(key, accessToken, Math.min(nowMs + ttlMs, accessToken.expiresAt * 1000), nowMs);
      }
      return accessToken;
    });
  }

  /** Never throws: every failure is a rejected promise. */
  #verifyUncached(token: string): Promise<AccessToken> {
    let binding: IssuerBinding;
    try {
      binding = this.#bindingFor(token);
    } catch (err) {
      return Promise.reject(err);
    }
    const { now } = this.#options;
    const nowMs = now();
    // With the global clock jose's own `new Date()` reads the same time: no `currentDate` needed.
    return binding.verify(token, now === Date.now ? undefined : new Date(nowMs)).then(
      ({ payload }) => this.#toAccessToken(token, payload, nowMs),
      (err: unknown) => {
        throw this.#rethrow(err);
      },
    );
  }

  #bindingFor(token: string): IssuerBinding {
    if (this.#only !== undefined) return this.#only;
    const { issuerMatches } = this.#options;
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw this.#reject('ERR_TOKEN_MALFORMED', 'payload');
    }
    if (typeof iss !== 'string' || !issuerMatches(iss)) {
      throw this.#reject('ERR_TOKEN_INACTIVE', 'issuer');
    }
    return this.#shared?.withIssuer(iss) ?? (this.#bindings.get(iss) as IssuerBinding);
  }

  #toAccessToken(token: string, payload: JWTPayload, nowMs: number): AccessToken {
    const { clockSkewMs } = this.#options;
    if (typeof payload.iat === 'number' && payload.iat * 1000 > nowMs + clockSkewMs) {
      throw this.#reject('ERR_TOKEN_INACTIVE', 'iat');
    }
    const resource = this.#acceptAudience(payload.aud);
    if (resource === null) throw this.#reject('ERR_TOKEN_AUDIENCE', 'audience');
    // jose parsed `payload` for this call alone: frozen in place, not copied.
    const claims = Object.freeze(payload) as Readonly<Record<string, unknown>>;
    return Object.freeze({
      token,
      clientId: jwtClientId(claims),
      scopes: Object.freeze(jwtScopes(claims)),
      expiresAt: payload.exp,
      resource,
      subject: typeof payload.sub === 'string' ? payload.sub : undefined,
      issuer: payload.iss,
      claims,
    });
  }

  #rethrow(err: unknown): Error {
    if (err instanceof TokenRejectedError || err instanceof VerifierUnavailableError) return err;
    const { code, reason } = rejectionOf(err);
    return this.#reject(code, reason);
  }

  #reject(code: TokenRejectedError['code'], reason: string): TokenRejectedError {
    this.#options.logger.debug({ event: 'token_rejected', code, reason });
    return new TokenRejectedError(code, REJECTION_MESSAGES[code]);
  }
}
