/**
 * Types of the RFC 7662 introspection verifier: its options (the wire response is in
 * `response.ts`, where the introspection cache can use it without depending on the options).
 *
 * @module
 */

import type { SafeHttpClient } from '../../ssrf/types.js';
import type { Clock, Logger } from '../../types.js';
import type { IntrospectionCacheOptions } from '../cache.js';

export type { IntrospectionResponse } from './response.js';

/**
 * How the verifier authenticates to the introspection endpoint.
 * - `client_secret_basic`: HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1);
 * - `client_secret_post`: `client_id` and `client_secret` in the form body;
 * - `bearer`: `Authorization: Bearer <clientSecret>` (RFC 7662 §2.1 allows a bearer credential);
 * - `none`: no credential; `client_id` in the body when one is given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'bearer' | 'none';

/** Options of `IntrospectionTokenVerifier`. */
export interface IntrospectionTokenVerifierOptions {
  /**
   * The RFC 7662 endpoint. Must pass `isSafeUrl(endpoint, { allowLocalhost })`: https, or http
   * to loopback (when allowed), a single-label or `*.cluster.local` name.
   */
  readonly introspectionEndpoint: string;
  /**
   * This resource server's URL (the MCP endpoint), compared with the token's `aud`. Required
   * when `validateResource` is on.
   */
  readonly serverUrl?: string;
  /**
   * Reject tokens whose `aud` does not cover `serverUrl` (RFC 8707). Turning this off accepts
   * tokens minted for any resource.
   * @default true
   */
  readonly validateResource?: boolean;
  /** Our client id at the authorization server. */
  readonly clientId?: string;
  /** Our client secret (or, for `bearer`, the bearer credential). */
  readonly clientSecret?: string;
  /**
   * Client authentication to the introspection endpoint.
   * @default 'client_secret_basic' when `clientSecret` is set, else 'none'
   */
  readonly clientAuthMethod?: ClientAuthMethod;
  /** Deadline of one introspection request (connect, headers and body), in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Largest introspection response accepted, in bytes. @default 65536 */
  readonly maxResponseBytes?: number;
  /**
   * Introspection cache, or `false` to introspect every time. Concurrent verifications of one
   * token share one request and the cap on requests in flight applies either way.
   * @default { ttlMs: 60000, maxEntries: 10000, maxInFlight: 32, maxQueued: 1000 }
   */
  readonly cache?: IntrospectionCacheOptions | false;
  /** Allow a loopback introspection endpoint. @default true */
  readonly allowLocalhost?: boolean;
  /**
   * Allow an https endpoint that resolves to a private address (RFC 1918, CGNAT, ULA).
   * @default false
   */
  readonly allowPrivateNetwork?: boolean;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: Clock;
  /** Structured logger; records never contain the token or the secret. @default stderr JSON */
  readonly logger?: Logger;
  /**
   * The outbound HTTP client (for tests, or to share one pool). When given, the verifier does
   * not close it.
   * @default a client from `createSafeHttpClient({ allowLocalhost, allowPrivateNetwork })`
   */
  readonly httpClient?: SafeHttpClient;
}
