/**
 * Client spans around the library's outbound round trips (introspection, JWKS). A span is a
 * child of the span active when the round trip starts (the application's HTTP server span, when
 * it has HTTP instrumentation), and is itself active while the round trip runs, so the spans of
 * an instrumented HTTP client nest below it.
 *
 * @module
 * @internal
 * @see https://opentelemetry.io/docs/specs/otel/trace/api/
 */

import type { Attributes, Span } from '@opentelemetry/api';
import { AuthflowError, TokenRejectedError } from '../errors.js';
import { type OpenTelemetryApi, openTelemetryApi } from './api.js';
import { ATTR, INSTRUMENTATION_SCOPE, type SPAN } from './names.js';

/** Name of a span this library starts. @internal */
export type ClientSpanName = (typeof SPAN)[keyof typeof SPAN];

/** Options of {@link withClientSpan}. @internal */
export interface ClientSpanOptions<T> {
  /** Attributes set when `fn` resolves (e.g. the introspection verdict). */
  readonly attributesOf?: (value: T) => Attributes;
  /** Attributes set when `fn` rejects, before the error is classified. */
  readonly errorAttributesOf?: (err: unknown) => Attributes;
}

/**
 * Whether `err` is a verdict about the token (401) rather than a failure: the authorization
 * server answered and the token is bad. Such a span keeps status UNSET.
 * @internal
 */
export function isTokenVerdict(err: unknown): boolean {
  return err instanceof TokenRejectedError;
}

/**
 * Low-cardinality `error.type` of an outage: the code of the underlying library error (the safe
 * HTTP client's `ERR_HTTP_TIMEOUT`, `ERR_HTTP_NETWORK`, …), else the error's own code, else its
 * class name. Never a message: messages may name hosts.
 * @internal
 */
export function errorType(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause instanceof AuthflowError) return cause.code;
  if (err instanceof AuthflowError) return err.code;
  return err instanceof Error ? err.name : '_OTHER';
}

function ended<T>(span: Span, value: T, options: ClientSpanOptions<T>): T {
  if (options.attributesOf !== undefined) span.setAttributes(options.attributesOf(value));
  span.end();
  return value;
}

function failed<T>(
  api: OpenTelemetryApi,
  span: Span,
  err: unknown,
  options: ClientSpanOptions<T>,
): never {
  if (options.errorAttributesOf !== undefined) span.setAttributes(options.errorAttributesOf(err));
  if (!isTokenVerdict(err)) {
    const type = errorType(err);
    span.setAttribute(ATTR.errorType, type);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
  }
  span.end();
  throw err;
}

/**
 * Runs `fn` inside a new CLIENT span named `name`, child of the active span. A rejection that is
 * a token verdict ({@link isTokenVerdict}) leaves the status UNSET; any other sets status ERROR
 * and `error.type` ({@link errorType}); the rejection is passed on unchanged. Without the api,
 * `fn` simply runs.
 *
 * @example
 * ```ts
 * const jwks = await withClientSpan('mcp_authflow.jwks.fetch', () => fetchJwks(uri));
 * ```
 * @internal
 */
export function withClientSpan<T>(
  name: ClientSpanName,
  fn: () => Promise<T>,
  options: ClientSpanOptions<T> = {},
): Promise<T> {
  const api = openTelemetryApi();
  if (api === undefined) return fn();
  const tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
  const span = tracer.startSpan(name, { kind: api.SpanKind.CLIENT });
  const active = api.trace.setSpan(api.context.active(), span);
  let running: Promise<T>;
  try {
    running = api.context.with(active, fn);
  } catch (err) {
    running = Promise.reject(err);
  }
  return running.then(
    (value) => ended(span, value, options),
    (err: unknown) => failed(api, span, err, options),
  );
}
