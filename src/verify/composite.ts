/**
 * `CompositeTokenVerifier`: one server accepting both JWT access tokens and opaque tokens.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { VERIFY_NOW, verifyNow } from '../lib/verify-now.js';
import type { AuthInfo, AuthInfoVerifier } from '../types.js';
import { isJwtShaped } from './jwt/shape.js';
import type { AccessToken, TokenVerifier } from './verifier.js';

/** A verifier usable by the composite: the SDK contract and this library's. */
export type CompositeMember = AuthInfoVerifier &
  TokenVerifier & { readonly serverUrl?: string | undefined };

/** Options of {@link CompositeTokenVerifier}. */
export interface CompositeTokenVerifierOptions {
  /** Verifies JWT-shaped tokens (three base64url segments with a JOSE header), e.g. a `JwtTokenVerifier`. */
  readonly jwt: CompositeMember;
  /** Verifies every other token, e.g. an `IntrospectionTokenVerifier`. */
  readonly introspection: CompositeMember;
}

function checkMember(value: unknown, name: string): CompositeMember {
  const v = value as Partial<CompositeMember> | null | undefined;
  if (
    typeof v?.verifyAccessToken !== 'function' ||
    typeof v.verifyToken !== 'function' ||
    typeof v.close !== 'function'
  ) {
    throw invalidArg(
      'ERR_INVALID_ARG_TYPE',
      `The option "${name}" must implement verifyAccessToken(), verifyToken() and close()`,
    );
  }
  return v as CompositeMember;
}

/**
 * Routes each token by its shape: a JWT (compact JWS whose header is a JSON object with `alg`)
 * to `jwt`, anything else (opaque tokens, JWEs) to `introspection`. A JWT is never sent to the
 * introspection endpoint, and an opaque token never reaches the JWT verifier.
 *
 * @example
 * ```ts
 * const verifier = new CompositeTokenVerifier({
 *   jwt: new JwtTokenVerifier({ issuer, serverUrl }),
 *   introspection: new IntrospectionTokenVerifier({ introspectionEndpoint, serverUrl, clientId, clientSecret }),
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068
 * @see https://www.rfc-editor.org/rfc/rfc7662
 */
export class CompositeTokenVerifier implements AuthInfoVerifier, TokenVerifier {
  readonly #jwt: CompositeMember;
  readonly #introspection: CompositeMember;

  /**
   * @param options - the two verifiers
   * @throws `TypeError` `ERR_INVALID_ARG_TYPE` when either is not a verifier.
   */
  constructor(options: CompositeTokenVerifierOptions) {
    this.#jwt = checkMember(options?.jwt, 'jwt');
    this.#introspection = checkMember(options?.introspection, 'introspection');
  }

  /** The resource server URL of the JWT verifier, else of the introspection verifier. */
  get serverUrl(): string | undefined {
    return this.#jwt.serverUrl ?? this.#introspection.serverUrl;
  }

  /**
   * Verifies `token` with the verifier its shape selects.
   *
   * @param token - the bearer token
   * @returns what that verifier returns
   * @throws what that verifier throws (`TokenRejectedError`, `VerifierUnavailableError`)
   */
  verifyAccessToken(token: string): Promise<AuthInfo> {
    return this.#pick(token).verifyAccessToken(token);
  }

  /**
   * Verifies `token` with the verifier its shape selects.
   *
   * @param token - the bearer token
   * @returns the verified token, or `null`
   */
  verifyToken(token: string): Promise<AccessToken | null> {
    return this.#pick(token).verifyToken(token);
  }

  /**
   * The synchronous cache-hit path of the verifier `token`'s shape selects (see `VerifiesNow`),
   * when it has one.
   * @internal
   */
  [VERIFY_NOW](token: string): AuthInfo | undefined {
    return verifyNow(this.#pick(token), token);
  }

  /** Closes both verifiers. */
  async close(): Promise<void> {
    await Promise.all([this.#jwt.close(), this.#introspection.close()]);
  }

  #pick(token: string): CompositeMember {
    return isJwtShaped(token) ? this.#jwt : this.#introspection;
  }
}
