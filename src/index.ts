/**
 * `mcp-authflow-resource`: the framework-free core. OAuth 2.0 Resource Server building blocks for
 * MCP servers — RFC 7662 introspection, RFC 9068 JWT access tokens, RFC 9728 discovery documents, `WWW-Authenticate`
 * challenges, SSRF-safe outbound HTTP, friction control and response validation.
 *
 * Framework adapters live in `mcp-authflow-resource/express` and `mcp-authflow-resource/node`.
 *
 * @module
 */

export type {
  FetchBearerAuth,
  FetchBearerAuthOptions,
  FetchBearerAuthResult,
} from './adapters/fetch/bearer.js';
export { requireBearerAuth } from './adapters/fetch/bearer.js';
export { synthesizeAuthorizationServerMetadata } from './discovery/authorization-server.js';
export type {
  DpopMetadataOptions,
  ProtectedResourceMetadata,
  ProtectedResourceMetadataOptions,
} from './discovery/protected-resource.js';
export {
  buildProtectedResourceMetadata,
  protectedResourceMetadataUrl,
} from './discovery/protected-resource.js';
export type {
  AnyAuthflowError,
  ArgErrorCode,
  CodedTypeError,
  ErrorCode,
  TokenErrorCode,
} from './errors.js';
export {
  AuthflowError,
  IntrospectionUnavailableError,
  SsrfBlockedError,
  TokenRejectedError,
  VerifierUnavailableError,
} from './errors.js';
export type { AdaptiveControllerOptions } from './friction/adaptive/config.js';
export type { FrictionCeiling, ResolvedCeiling } from './friction/ceiling.js';
export type {
  ControllerConfig,
  FrictionControllerKind,
  ResolvedFrictionConfig,
  ToolFrictionConfig,
  ToolGroupConfig,
} from './friction/config.js';
export type { FrictionControllerOptions } from './friction/controller.js';
export { FrictionController } from './friction/controller.js';
export type {
  FrictionClientStatus,
  FrictionLevel,
  FrictionResult,
  ToolFrictionStatus,
} from './friction/decision.js';
export type {
  FrictionKeyBy,
  FrictionRegistryOptions,
  OnStoreError,
} from './friction/registry.js';
export { FrictionRegistry } from './friction/registry.js';
export type { FrictionServer } from './friction/with-friction.js';
export { withFriction } from './friction/with-friction.js';
export type { FrictionWrapperOptions, ToolHandler } from './friction/wrappers.js';
export { frictionControlled, initFriction, recordToolCall } from './friction/wrappers.js';
export type { BearerAuthOptions, BearerGate, BearerRequest, BearerResult } from './http/bearer.js';
export { createBearerGate } from './http/bearer.js';
export type {
  AuthErrorContext,
  AuthErrorResponse,
  BearerChallengeParams,
  BearerErrorCode,
} from './http/challenge.js';
export { authErrorResponse, buildWwwAuthenticate } from './http/challenge.js';
export { DpopBindingError } from './http/dpop/binding.js';
export type { DpopErrorCode } from './http/dpop/errors.js';
export { DpopProofError } from './http/dpop/errors.js';
export type { DpopNonceOptions, DpopOptions } from './http/dpop/options.js';
export type { DpopReplayStore } from './http/dpop/replay.js';
export type { IsSafeUrlOptions } from './ssrf/is-safe-url.js';
export { isSafeUrl } from './ssrf/is-safe-url.js';
export { createSafeHttpClient } from './ssrf/safe-http-client.js';
export type {
  SafeHttpClient,
  SafeHttpClientOptions,
  SafeHttpRequest,
  SafeHttpResponse,
} from './ssrf/types.js';
export type { MemoryStoreOptions } from './store/memory.js';
export { MemoryStore } from './store/memory.js';
export type {
  FrictionLifecycleEvent,
  FrictionSaturation,
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  FrictionStoreSpec,
  Store,
} from './store/types.js';
export type { AuthInfo, AuthInfoVerifier, Clock, Logger, LogRecord } from './types.js';
export type {
  BackendResponse,
  ItemSchema,
  JsonObject,
  ValidationOptions,
  ValidationResult,
} from './validation/response.js';
export {
  jsonError,
  requireList,
  requireObject,
  validateListResponse,
  validateObjectResponse,
} from './validation/response.js';
export type {
  CachedIntrospection,
  IntrospectionCache,
  IntrospectionCacheOptions,
  IntrospectionVerdict,
  MemoryIntrospectionCacheOptions,
} from './verify/cache.js';
export { createMemoryIntrospectionCache } from './verify/cache.js';
export type { CompositeMember, CompositeTokenVerifierOptions } from './verify/composite.js';
export { CompositeTokenVerifier } from './verify/composite.js';
export type {
  ClientAuthMethod,
  IntrospectionResponse,
  IntrospectionTokenVerifierOptions,
} from './verify/introspection/types.js';
export { IntrospectionTokenVerifier } from './verify/introspection/verifier.js';
export type {
  JwtIssuer,
  JwtTokenType,
  JwtTokenVerifierOptions,
  JwtVerdictCacheOptions,
} from './verify/jwt/types.js';
export { JwtTokenVerifier } from './verify/jwt/verifier.js';
export type { AccessToken, TokenVerifier } from './verify/verifier.js';
