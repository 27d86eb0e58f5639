/**
 * One RFC 7662 introspection round trip through the safe HTTP client, mapped to a response,
 * a `TokenRejectedError` or an `IntrospectionUnavailableError`.
 *
 * @module
 * @internal
 */

import { IntrospectionUnavailableError, TokenRejectedError } from '../../errors.js';
import type { SafeHttpClient, SafeHttpResponse } from '../../ssrf/types.js';
import type { ResolvedIntrospectionOptions } from './options.js';
import { buildIntrospectionRequest, classifyIntrospectionResponse } from './request.js';
import type { IntrospectionResponse } from './response.js';

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

async function send(
  http: SafeHttpClient,
  token: string,
  options: ResolvedIntrospectionOptions,
): Promise<SafeHttpResponse> {
  const { headers, body } = buildIntrospectionRequest(token, options.credentials);
  try {
    return await http.request(options.introspectionEndpoint, {
      method: 'POST',
      headers,
      body,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
    });
  } catch (err) {
    const code = codeOf(err);
    options.logger.warn({ event: 'introspection_unavailable', reason: 'transport', code });
    throw new IntrospectionUnavailableError(
      `The introspection endpoint could not be reached (${code})`,
      { cause: err },
    );
  }
}

/**
 * Introspects `token`.
 *
 * @returns the response object (frozen); `active` is not checked here
 * @throws `TokenRejectedError` when the server answers 400 about the token;
 *   `IntrospectionUnavailableError` for every outage, our credentials being refused included
 */
export async function introspect(
  http: SafeHttpClient,
  token: string,
  options: ResolvedIntrospectionOptions,
): Promise<IntrospectionResponse> {
  const outcome = classifyIntrospectionResponse(await send(http, token, options));
  const { logger, credentials } = options;
  switch (outcome.kind) {
    case 'response':
      return Object.freeze(outcome.claims);
    case 'token-error':
      logger.debug({ event: 'token_rejected', code: outcome.code, reason: outcome.error });
      throw new TokenRejectedError(outcome.code, 'The authorization server rejected the token');
    case 'credentials-rejected':
      logger.error({
        event: 'introspection_credentials_rejected',
        message: 'The authorization server rejected our introspection client credentials',
        status: outcome.status,
        clientId: credentials.clientId,
        clientAuthMethod: credentials.clientAuthMethod,
      });
      throw new IntrospectionUnavailableError(
        'The authorization server rejected the introspection client credentials',
      );
    case 'unavailable':
      logger.warn({
        event: 'introspection_unavailable',
        reason: outcome.reason,
        status: outcome.status,
      });
      throw new IntrospectionUnavailableError(
        `The introspection endpoint answered unusably (${outcome.reason}, HTTP ${outcome.status})`,
        outcome.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: outcome.retryAfterSeconds },
      );
  }
}
