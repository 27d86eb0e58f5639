/**
 * `IntrospectionTokenVerifier`: bearer token verification by RFC 7662 token introspection,
 * with RFC 8707 audience binding, a keyed cache, request coalescing and a cap on requests in
 * flight. It implements the MCP SDK's `OAuthTokenVerifier` (both SDK lines).
 *
 * @module
 */

import { IntrospectionUnavailableError, TokenRejectedError } from '../../errors.js';
import { ConcurrencyLimiter, SingleFlight } from '../../lib/cache-flight.js';
import { introspectionCacheKeyer } from '../../lib/hash-key.js';
import { assertKnownKeys } from '../../lib/option-keys.js';
import { VERIFY_NOW } from '../../lib/verify-now.js';
import { createSafeHttpClient } from '../../ssrf/safe-http-client.js';
import type { SafeHttpClient } from '../../ssrf/types.js';
import {
  countCacheHit,
  observeIntrospection,
  observeVerification,
  type VerificationProbe,
} from '../../telemetry/verification.js';
import type { AuthInfo, AuthInfoVerifier, Clock } from '../../types.js';
import {
  type CachedIntrospection,
  type IntrospectionVerdict,
  type SynchronousCache,
  synchronousCache,
} from '../cache.js';
import { INTROSPECTION_CACHE_OPTIONS, INTROSPECTION_VERIFIER_OPTIONS } from '../option-keys.js';
import { isWellFormedToken, MAX_TOKEN_LENGTH } from '../token-syntax.js';
import { type AccessToken, type TokenVerifier, toAuthInfo } from '../verifier.js';
import { copyAuthInfo, errorName, MESSAGES, resourceUrl, toAccessToken } from './access-token.js';
import { judgeClaims, timeRejection } from './claims.js';
import { introspect } from './introspect.js';
import { type ResolvedIntrospectionOptions, resolveIntrospectionOptions } from './options.js';
import type { IntrospectionTokenVerifierOptions } from './types.js';

type Rejected = Extract<IntrospectionVerdict, { ok: false }>;

/** An accepted entry: the token, its `AuthInfo` (copied for each caller) and time claims. */
interface Accepted {
  readonly accessToken: AccessToken;
  readonly authInfo: AuthInfo;
  readonly exp?: number | undefined;
  readonly nbf?: number | undefined;
}
/** A judged cache entry: accepted, or the rejection. */
type Judged = Accepted | { readonly rejected: Rejected };

/** The claims of a cached rejection: nothing the authorization server sent is kept. */
const NO_CLAIMS = Object.freeze({});

/**
 * Verifies bearer tokens by asking the authorization server (RFC 7662).
 *
 * - `verifyAccessToken` (the SDK's `OAuthTokenVerifier`) resolves to `AuthInfo` or throws
 *   `TokenRejectedError` (401 `invalid_token`; wrap the verifier with `toSdkVerifier` from
 *   `mcp-authflow-resource/sdk-v1` or `/sdk-v2` for the SDK's own gate) with code `ERR_TOKEN_MALFORMED`,
 *   `ERR_TOKEN_INACTIVE`, `ERR_TOKEN_EXPIRED` or `ERR_TOKEN_AUDIENCE`, or
 *   `IntrospectionUnavailableError` (`ERR_INTROSPECTION_UNAVAILABLE`: 503) when the server
 *   cannot give a verdict. An outage never looks like a bad token.
 * - `verifyToken` resolves to an `AccessToken`, or `null` for any rejection or outage.
 *
 * @example
 * ```ts
 * const verifier = new IntrospectionTokenVerifier({
 *   introspectionEndpoint: 'https://auth.example.com/token/introspection',
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   clientId: 'mcp-server',
 *   clientSecret: process.env.INTROSPECTION_SECRET,
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662
 * @see https://www.rfc-editor.org/rfc/rfc8707
 */
export class IntrospectionTokenVerifier implements AuthInfoVerifier, TokenVerifier {
  readonly #options: ResolvedIntrospectionOptions;
  readonly #http: SafeHttpClient;
  readonly #ownsHttp: boolean;
  readonly #flights = new SingleFlight<CachedIntrospection>();
  readonly #limiter: ConcurrencyLimiter;
  /**
   * The outcome per cache entry: a hit on an entry already seen re-checks only the time claims,
   * so its cost does not depend on what the authorization server returned (issue 20). Entries
   * from a shared store are new objects on each read; they carry their verdict, judged once.
   */
  readonly #judged = new WeakMap<CachedIntrospection, Judged>();
  readonly #cacheKey: (token: string) => string;
  /** The in-memory cache, read on the synchronous hit path; `undefined` for a shared store. */
  readonly #memory: SynchronousCache | undefined;
  /** The memory cache's clock when it is not the verifier's (then it is read separately). */
  readonly #memoryClock: Clock | undefined;

  /**
   * @param options - see {@link IntrospectionTokenVerifierOptions}
   * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the
   *   option: an endpoint `isSafeUrl` refuses, `bearer` without `clientSecret`,
   *   `client_secret_basic`/`client_secret_post` without `clientId`, an unknown
   *   `clientAuthMethod`, a non-positive size or time, a missing or invalid `serverUrl` while
   *   `validateResource` is on.
   */
  constructor(options: IntrospectionTokenVerifierOptions) {
    assertKnownKeys(options, INTROSPECTION_VERIFIER_OPTIONS, 'IntrospectionTokenVerifier');
    assertKnownKeys(
      options?.cache,
      INTROSPECTION_CACHE_OPTIONS,
      'IntrospectionTokenVerifier cache',
    );
    this.#options = resolveIntrospectionOptions(options);
    const { httpClient, maxInFlight, maxQueued, allowLocalhost, allowPrivateNetwork } =
      this.#options;
    this.#ownsHttp = httpClient === undefined;
    this.#http = httpClient ?? createSafeHttpClient({ allowLocalhost, allowPrivateNetwork });
    this.#limiter = new ConcurrencyLimiter(maxInFlight, maxQueued);
    const { introspectionEndpoint, credentials, serverUrl, validateResource, cache, now } =
      this.#options;
    this.#cacheKey = introspectionCacheKeyer(
      introspectionEndpoint,
      credentials.clientId,
      validateResource ? serverUrl : undefined,
    );
    this.#memory = cache === undefined ? undefined : synchronousCache(cache);
    this.#memoryClock = this.#memory?.now === now ? undefined : this.#memory?.now;
  }

  /** The resource server URL tokens are checked against (`serverUrl`). */
  get serverUrl(): string | undefined {
    return this.#options.serverUrl;
  }

  /**
   * Verifies `token` for the MCP SDK.
   *
   * @param token - the bearer token
   * @returns `AuthInfo` with `expiresAt` always set (epoch seconds) and `resource` when the
   *   audience is a URL
   * @throws `TokenRejectedError` (`ERR_TOKEN_MALFORMED`, `ERR_TOKEN_INACTIVE`,
   *   `ERR_TOKEN_EXPIRED`, `ERR_TOKEN_AUDIENCE`) or `IntrospectionUnavailableError`
   *   (`ERR_INTROSPECTION_UNAVAILABLE`)
   */
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    return copyAuthInfo((await this.#verify(token)).authInfo);
  }

  /**
   * The cache-hit path without a promise (see `VerifiesNow`): the `AuthInfo` of a token whose
   * accepted verdict is in the in-memory cache and still in time, else `undefined`. The syntax
   * is not re-checked (the gate has parsed it): only tokens `#check` found well formed are
   * stored, keyed by the token, so a malformed one misses and `verifyAccessToken` refuses it.
   * @internal
   */
  [VERIFY_NOW](token: string): AuthInfo | undefined {
    const memory = this.#memory;
    if (memory === undefined || typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      return undefined;
    }
    const key = this.#cacheKey(token);
    if (this.#flights.get(key) !== undefined) return undefined;
    const nowMs = this.#options.now();
    const entry = memory.at(key, this.#memoryClock === undefined ? nowMs : this.#memoryClock());
    if (entry === undefined || !(nowMs < entry.cachedUntilMs)) return undefined;
    const judged = this.#judgedOf(token, entry);
    if ('rejected' in judged || timeRejection(judged.exp, judged.nbf, nowMs) !== undefined) {
      return undefined;
    }
    countCacheHit('introspection');
    return copyAuthInfo(judged.authInfo);
  }

  /**
   * Verifies `token`; seed-compatible.
   *
   * @param token - the bearer token
   * @returns the verified token, or `null` when it is rejected or the server is unavailable
   *   (outages are logged)
   */
  async verifyToken(token: string): Promise<AccessToken | null> {
    try {
      return (await this.#verify(token)).accessToken;
    } catch (err) {
      if (err instanceof TokenRejectedError || err instanceof IntrospectionUnavailableError) {
        return null;
      }
      throw err;
    }
  }

  /** Releases pooled connections (only of the HTTP client the verifier created itself). */
  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close();
  }

  #verify(token: string): Promise<Accepted> {
    return observeVerification('introspection', (probe) => this.#check(token, probe));
  }

  async #check(token: string, probe: VerificationProbe): Promise<Accepted> {
    if (!isWellFormedToken(token)) throw this.#reject('ERR_TOKEN_MALFORMED', 'syntax');
    const key = this.#cacheKey(token);
    const entry = await this.#lookup(key, token, probe);
    const judged = this.#judgedOf(token, entry);
    if ('rejected' in judged) throw this.#reject(judged.rejected.code, judged.rejected.reason);
    const late = timeRejection(judged.exp, judged.nbf, this.#options.now());
    if (late !== undefined) throw this.#reject(late.code, late.reason);
    return judged;
  }

  #judgedOf(token: string, entry: CachedIntrospection): Judged {
    let judged = this.#judged.get(entry);
    if (judged === undefined) {
      judged = this.#judge(token, entry);
      this.#judged.set(entry, judged);
    }
    return judged;
  }

  /** Judges an entry: its cached verdict, or (an entry without one) its claims, once. */
  #judge(token: string, entry: CachedIntrospection): Judged {
    const { validateResource, serverUrl } = this.#options;
    const verdict = entry.verdict ?? judgeClaims(entry.claims, { validateResource, serverUrl });
    if (!verdict.ok) return { rejected: verdict };
    const accessToken = toAccessToken(token, verdict, entry);
    return {
      accessToken,
      authInfo: toAuthInfo(accessToken, resourceUrl(accessToken.resource)),
      exp: verdict.exp,
      nbf: verdict.nbf,
    };
  }

  #reject(code: TokenRejectedError['code'], reason: string): TokenRejectedError {
    this.#options.logger.debug({ event: 'token_rejected', code, reason });
    return new TokenRejectedError(code, MESSAGES[code]);
  }

  async #lookup(
    key: string,
    token: string,
    probe: VerificationProbe,
  ): Promise<CachedIntrospection> {
    const inFlight = this.#flights.get(key);
    if (inFlight !== undefined) return inFlight;
    const cached = await this.#cacheGet(key);
    if (cached !== undefined) {
      probe.cache = 'hit';
      return cached;
    }
    return this.#flights.run(key, () =>
      this.#limiter.run(
        () => this.#introspectAndStore(key, token),
        () => this.#unavailable('overloaded', 'Too many introspection requests in flight'),
      ),
    );
  }

  /**
   * Introspects and judges the response once; the judgement is cached, accepted or rejected,
   * for min(`ttlMs`, `exp` − now). An inactive token is not cached (and evicts its entry).
   */
  async #introspectAndStore(key: string, token: string): Promise<CachedIntrospection> {
    const claims = await observeIntrospection(() => introspect(this.#http, token, this.#options));
    const { now, ttlMs, cache, validateResource, serverUrl } = this.#options;
    const nowMs = now();
    const verdict = judgeClaims(claims, { validateResource, serverUrl });
    const exp = typeof claims.exp === 'number' ? claims.exp : Number.NaN;
    const expMs = Number.isFinite(exp) ? exp * 1000 : Number.POSITIVE_INFINITY;
    const lifetimeMs = Math.min(ttlMs, expMs - nowMs);
    const entry: CachedIntrospection = {
      claims: verdict.ok ? claims : NO_CLAIMS,
      cachedUntilMs: nowMs + Math.max(lifetimeMs, 0),
      verdict,
    };
    if (cache === undefined) return entry;
    try {
      if (claims.active !== true) await cache.delete(key);
      else if (lifetimeMs > 0) await cache.set(key, entry, lifetimeMs);
    } catch (err) {
      this.#options.logger.warn({ event: 'introspection_cache_error', error: errorName(err) });
    }
    return entry;
  }

  async #cacheGet(key: string): Promise<CachedIntrospection | undefined> {
    const { cache, now } = this.#options;
    if (cache === undefined) return undefined;
    try {
      const entry = await cache.get(key);
      return entry !== undefined && now() < entry.cachedUntilMs ? entry : undefined;
    } catch (err) {
      this.#options.logger.warn({ event: 'introspection_cache_error', error: errorName(err) });
      return undefined;
    }
  }

  #unavailable(reason: string, message: string): IntrospectionUnavailableError {
    this.#options.logger.warn({ event: 'introspection_unavailable', reason });
    return new IntrospectionUnavailableError(message);
  }
}
