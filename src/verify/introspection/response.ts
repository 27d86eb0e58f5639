/**
 * The RFC 7662 introspection response, as received from the authorization server.
 *
 * @module
 */

/**
 * An RFC 7662 introspection response as received. Only `active: true` (the boolean) means an
 * active token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface IntrospectionResponse {
  readonly active?: unknown;
  readonly scope?: unknown;
  readonly client_id?: unknown;
  readonly exp?: unknown;
  readonly nbf?: unknown;
  readonly aud?: unknown;
  readonly sub?: unknown;
  readonly iss?: unknown;
  readonly [claim: string]: unknown;
}
