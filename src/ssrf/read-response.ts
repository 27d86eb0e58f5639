/**
 * Response reading and error mapping for the safe HTTP client: a size-capped body reader and the
 * one function that turns whatever undici throws into a coded `AuthflowError`.
 *
 * @module
 * @internal
 */

import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { AuthflowError } from '../errors.js';

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function ignore(): void {}

function tooLarge(maxBytes: number): AuthflowError {
  return new AuthflowError(
    'ERR_HTTP_RESPONSE_TOO_LARGE',
    `Response body exceeds the limit of ${maxBytes} bytes`,
  );
}

/** Flattens undici's headers into lower-cased single strings (repeated values comma-joined). */
export function flattenHeaders(headers: IncomingHttpHeaders): Readonly<Record<string, string>> {
  const entries: [string, string][] = [];
  // undici never reports a header without a value, whatever node:http's type allows.
  for (const [name, value] of Object.entries(headers as Record<string, string | string[]>)) {
    entries.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
  }
  return Object.freeze(Object.fromEntries(entries));
}

/**
 * Reads the whole body, refusing it as soon as `content-length` announces or the bytes received
 * exceed `maxBytes`. On refusal the body is destroyed, so the connection is closed rather than
 * drained.
 *
 * @throws `AuthflowError` with code `ERR_HTTP_RESPONSE_TOO_LARGE`.
 */
export async function readBody(
  response: Dispatcher.ResponseData,
  method: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const { body } = response;
  // Destroying the body early makes undici emit an abort error; it must not go unhandled.
  body.on('error', ignore);
  const announced = Number(response.headers['content-length']);
  // On a HEAD answer, content-length is the size of a body that is not sent (RFC 9110 §8.6).
  if (method !== 'HEAD' && announced > maxBytes) {
    body.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/**
 * Maps an error from a request to the client's contract. Our own `AuthflowError`s pass through;
 * the deadline (or a caller's `AbortSignal.timeout`) and undici's timeouts become
 * `ERR_HTTP_TIMEOUT`; everything else, a caller's plain abort included, `ERR_HTTP_NETWORK`. The
 * original error is kept as `cause`; messages name the host only, never path or query.
 */
export function toHttpError(
  err: unknown,
  host: string,
  deadline: AbortSignal,
  callerSignal: AbortSignal | undefined,
): AuthflowError {
  if (err instanceof AuthflowError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const timedOut =
    deadline.aborted ||
    (callerSignal?.aborted === true && isTimeoutReason(callerSignal.reason)) ||
    (typeof code === 'string' && TIMEOUT_CODES.has(code));
  if (timedOut) {
    return new AuthflowError('ERR_HTTP_TIMEOUT', `Request to ${host} timed out`, { cause: err });
  }
  const what = callerSignal?.aborted ? 'was aborted' : 'failed';
  return new AuthflowError('ERR_HTTP_NETWORK', `Request to ${host} ${what}`, { cause: err });
}
