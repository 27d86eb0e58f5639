/**
 * One accepted issuer's signature check: its key set and its jose options, with the key that
 * verified a protected header reused for the next token carrying the same header.
 *
 * @module
 * @internal
 */

import {
  type CryptoKey,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import type { IssuerKeySet } from './key-set.js';

/** What {@link IssuerBinding.verify} resolves to. */
export interface VerifiedJwt {
  readonly payload: JWTPayload;
}

/** Options of one issuer's check. */
export interface BindingOptions {
  readonly algorithms: readonly string[];
  readonly clockSkewMs: number;
  /** The exact `iss`, or `undefined` when the caller checked it (a predicate issuer). */
  readonly issuer: string | undefined;
  /** Require the `at+jwt` header `typ` (RFC 9068 §2.1). */
  readonly atJwt: boolean;
  /** The rejection of a token whose header has `crit`. */
  readonly onCrit: () => Error;
}

/**
 * The check of one issuer (or one `jwksUri`): `exp` required, `nbf`/`exp` with the skew, `iss`,
 * `typ` and the algorithm allow-list left to jose; a header with `crit` refused before any key is
 * looked up.
 *
 * @param keys - the issuer's key set
 * @param o - see {@link BindingOptions}
 */
export function bindIssuer(keys: IssuerKeySet, o: BindingOptions): IssuerBinding {
  const getKey: JWTVerifyGetKey = (header, jws) => {
    // RFC 7515 §4.1.11: we understand no extension, so a token that requires one is refused.
    if (header.crit !== undefined) throw o.onCrit();
    return keys.getKey(header, jws);
  };
  const options: JWTVerifyOptions = {
    algorithms: [...o.algorithms],
    requiredClaims: ['exp'],
    clockTolerance: o.clockSkewMs / 1000,
    ...(o.issuer !== undefined ? { issuer: o.issuer } : {}),
    ...(o.atJwt ? { typ: 'at+jwt' } : {}),
  };
  return new IssuerBinding(keys, options, getKey);
}

/**
 * Verifies the tokens of one issuer with jose's `jwtVerify` (see {@link bindIssuer}).
 *
 * A header is parsed once, by jose: its key is found through {@link IssuerKeySet.getKey}, and
 * once that key verified a signature it is passed directly for the next token with the same
 * header segment, until the key set is replaced.
 */
export class IssuerBinding {
  readonly #keys: IssuerKeySet;
  readonly #options: JWTVerifyOptions;
  readonly #getKey: JWTVerifyGetKey;

  /**
   * @param keys - the issuer's key set
   * @param options - jose's options
   * @param getKey - the key lookup jose calls with the parsed header
   */
  constructor(keys: IssuerKeySet, options: JWTVerifyOptions, getKey: JWTVerifyGetKey) {
    this.#keys = keys;
    this.#options = options;
    this.#getKey = getKey;
  }

  /** The same check for the exact issuer `iss` (a predicate issuer's token). */
  withIssuer(iss: string): IssuerBinding {
    return new IssuerBinding(this.#keys, { ...this.#options, issuer: iss }, this.#getKey);
  }

  /**
   * Verifies `token` (a compact JWS): signature, header and jose's claim checks.
   *
   * @param token - the token, already checked by `isCompactJws`
   * @param currentDate - the injected clock's time, or `undefined` for jose's own `Date`
   * @returns the payload; rejects with jose's error, the `crit` rejection or the key set's
   *   `VerifierUnavailableError`
   */
  verify(token: string, currentDate: Date | undefined): Promise<VerifiedJwt> {
    const options = currentDate === undefined ? this.#options : { ...this.#options, currentDate };
    const header = token.slice(0, token.indexOf('.'));
    const known = this.#keys.verifiedKey(header);
    if (known !== undefined) return jwtVerify(token, known, options);
    const generation = this.#keys.generation;
    return jwtVerify(token, this.#getKey, options).then(
      (result) => {
        // #getKey hands jose only the key set's keys.
        this.#keys.rememberVerified(header, result.key as CryptoKey, generation);
        return result;
      },
      (err: unknown) => {
        if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
        return verifyWithCandidates(token, err, options);
      },
    );
  }
}

/** No `kid` and several keys fit: try each (jose hands them over as an async iterator). */
async function verifyWithCandidates(
  token: string,
  err: errors.JWKSMultipleMatchingKeys,
  options: JWTVerifyOptions,
): Promise<VerifiedJwt> {
  let last: unknown = err;
  for await (const key of err as unknown as AsyncIterable<CryptoKey>) {
    try {
      return await jwtVerify(token, key, options);
    } catch (attempt) {
      last = attempt;
    }
  }
  throw last;
}
