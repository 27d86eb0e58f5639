/**
 * The introspection request (RFC 7662 §2.1 with RFC 6749 §2.3.1 client authentication) and the
 * classification of its response into a verdict, a token error or an outage.
 *
 * @module
 * @internal
 */

import type { TokenErrorCode } from '../../errors.js';
import type { SafeHttpResponse } from '../../ssrf/types.js';
import type { IntrospectionResponse } from './response.js';
import type { ClientAuthMethod } from './types.js';

/** Our credentials at the introspection endpoint. */
export interface ClientCredentials {
  readonly clientAuthMethod: ClientAuthMethod;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
}

/** Headers and form body of one introspection request. */
export interface IntrospectionRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What an introspection response means. */
export type IntrospectionOutcome =
  | { readonly kind: 'response'; readonly claims: IntrospectionResponse }
  | { readonly kind: 'token-error'; readonly code: TokenErrorCode; readonly error: string }
  | { readonly kind: 'credentials-rejected'; readonly status: number }
  | {
      readonly kind: 'unavailable';
      readonly reason: string;
      readonly status: number;
      readonly retryAfterSeconds?: number;
    };

/** `application/x-www-form-urlencoded` encoding of one value (space → `+`). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * The `Authorization` value for `client_secret_basic`: id and secret are form-encoded before
 * being joined with `:` and base64-encoded, so a `:` in the id survives.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Builds the POST for `token`, authenticated as `credentials` say. */
export function buildIntrospectionRequest(
  token: string,
  credentials: ClientCredentials,
): IntrospectionRequest {
  const { clientAuthMethod, clientId, clientSecret } = credentials;
  const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (clientAuthMethod === 'client_secret_basic') {
    headers.authorization = basicAuthorization(clientId ?? '', clientSecret ?? '');
  } else if (clientAuthMethod === 'bearer') {
    headers.authorization = `Bearer ${clientSecret ?? ''}`;
  } else if (clientId !== undefined) {
    form.set('client_id', clientId);
  }
  if (clientAuthMethod === 'client_secret_post') form.set('client_secret', clientSecret ?? '');
  return { headers, body: form.toString() };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as a JSON object, or `undefined` for anything else (array, scalar, not JSON). */
export function parseJsonObject(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(body));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not UTF-8 or not JSON: the caller reports the server as unavailable.
  }
  return undefined;
}

/** `Retry-After` in seconds (delta-seconds only), clamped to 1..300. */
function retryAfter(headers: Readonly<Record<string, string>>): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Math.max(Number(value.trim()), 1), 300);
}

/** RFC 6749 §5.2 errors that describe the token we sent, not our request or credentials. */
const TOKEN_ERRORS: Readonly<Record<string, TokenErrorCode>> = {
  unsupported_token_type: 'ERR_TOKEN_INACTIVE',
  invalid_token: 'ERR_TOKEN_INACTIVE',
  invalid_request: 'ERR_TOKEN_MALFORMED',
};

function classifyBadRequest(response: SafeHttpResponse): IntrospectionOutcome {
  const error = parseJsonObject(response.body)?.error;
  if (typeof error === 'string' && Object.hasOwn(TOKEN_ERRORS, error)) {
    return { kind: 'token-error', code: TOKEN_ERRORS[error]!, error };
  }
  if (error === 'invalid_client') return { kind: 'credentials-rejected', status: 400 };
  return { kind: 'unavailable', reason: 'bad_request', status: 400 };
}

/**
 * Classifies a response. Only 200 with a JSON object is an answer; redirects are never followed
 * and count as an outage; 400 with a token error is a bad token; 401/403 (or 400
 * `invalid_client`) means our credentials were refused; everything else is an outage.
 */
export function classifyIntrospectionResponse(response: SafeHttpResponse): IntrospectionOutcome {
  const { status } = response;
  if (status === 200) {
    const claims = parseJsonObject(response.body);
    if (claims !== undefined) return { kind: 'response', claims };
    return { kind: 'unavailable', reason: 'not_json_object', status };
  }
  if (status === 400) return classifyBadRequest(response);
  if (status === 401 || status === 403) return { kind: 'credentials-rejected', status };
  const reason =
    status >= 300 && status < 400 ? 'redirect' : status === 429 ? 'rate_limited' : 'http_status';
  const seconds = retryAfter(response.headers);
  return seconds === undefined
    ? { kind: 'unavailable', reason, status }
    : { kind: 'unavailable', reason, status, retryAfterSeconds: seconds };
}
