/**
 * Instrument names, attribute keys and attribute values of DESIGN §6.4. Attribute keys are
 * namespaced `mcp_authflow.*`, as OpenTelemetry asks of custom attributes; the tool name uses
 * the GenAI semantic convention `gen_ai.tool.name`.
 *
 * @module
 * @internal
 * @see https://opentelemetry.io/docs/specs/semconv/general/naming/
 */

/** Name of the meter and of the tracer. @internal */
export const INSTRUMENTATION_SCOPE = 'mcp-authflow-resource';

/** Instrument names. @internal */
export const METRIC = Object.freeze({
  authRequests: 'mcp_authflow.auth.requests',
  verifications: 'mcp_authflow.token.verifications',
  introspectionDuration: 'mcp_authflow.introspection.duration',
  jwksFetches: 'mcp_authflow.jwks.fetches',
  frictionDecisions: 'mcp_authflow.friction.decisions',
});

/** Span names. @internal */
export const SPAN = Object.freeze({
  introspect: 'mcp_authflow.introspect',
  jwksFetch: 'mcp_authflow.jwks.fetch',
});

/** Attribute keys. @internal */
export const ATTR = Object.freeze({
  authOutcome: 'mcp_authflow.auth.outcome',
  verificationMethod: 'mcp_authflow.verification.method',
  verificationResult: 'mcp_authflow.verification.result',
  cacheResult: 'mcp_authflow.cache.result',
  introspectionResult: 'mcp_authflow.introspection.result',
  jwksResult: 'mcp_authflow.jwks.result',
  toolName: 'gen_ai.tool.name',
  frictionLevel: 'mcp_authflow.friction.level',
  frictionAllowed: 'mcp_authflow.friction.allowed',
  errorType: 'error.type',
});

/**
 * Outcome of one request at the bearer gate. A 400 (malformed `Authorization` header or
 * `Mcp-Method`/`Mcp-Name` not matching the body) counts as `invalid_token`; a 503 and a 500 (the
 * verifier failed unexpectedly) count as `unavailable`. `invalid_dpop_proof` is reserved for DPoP.
 * @internal
 */
export type AuthOutcome =
  | 'allowed'
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unavailable'
  | 'invalid_dpop_proof';

/** How a token was verified. @internal */
export type VerificationMethod = 'introspection' | 'jwt';

/** Verdict of one verification (or one introspection round trip). @internal */
export type VerificationResult = 'active' | 'inactive' | 'error';

/** Whether a verdict came from the verdict cache (`cache: false` counts as `miss`). @internal */
export type CacheResult = 'hit' | 'miss';

/** Result of one JWKS fetch. @internal */
export type JwksFetchResult = 'ok' | 'error';

/** Explicit bucket boundaries for durations in seconds (5 ms … 10 s). @internal */
export const DURATION_BUCKETS_S: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);
