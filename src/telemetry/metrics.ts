/**
 * The library's metric instruments and the functions that record into them. Instruments are
 * created on first use and again whenever the global meter provider changes, so an application
 * that registers its SDK after importing the library is still seen. With no provider registered
 * every call ends at the api's no-op instruments.
 *
 * @module
 * @internal
 * @see https://opentelemetry.io/docs/specs/otel/metrics/api/
 */

import type { Attributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import { openTelemetryApi } from './api.js';
import {
  ATTR,
  type AuthOutcome,
  type CacheResult,
  DURATION_BUCKETS_S,
  INSTRUMENTATION_SCOPE,
  type JwksFetchResult,
  METRIC,
  type VerificationMethod,
  type VerificationResult,
} from './names.js';

interface Instruments {
  readonly authRequests: Counter;
  readonly verifications: Counter;
  readonly introspectionDuration: Histogram;
  readonly jwksFetches: Counter;
  readonly frictionDecisions: Counter;
}

let provider: MeterProvider | undefined;
let instruments: Instruments | undefined;

function create(meterProvider: MeterProvider): Instruments {
  const meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE);
  return {
    authRequests: meter.createCounter(METRIC.authRequests, {
      unit: '{request}',
      description: 'Requests decided by the bearer gate, by outcome',
    }),
    verifications: meter.createCounter(METRIC.verifications, {
      unit: '{verification}',
      description: 'Token verifications, by method, result and cache result',
    }),
    introspectionDuration: meter.createHistogram(METRIC.introspectionDuration, {
      unit: 's',
      description: 'Duration of RFC 7662 introspection round trips',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] },
    }),
    jwksFetches: meter.createCounter(METRIC.jwksFetches, {
      unit: '{fetch}',
      description: 'JWKS fetches, by result',
    }),
    frictionDecisions: meter.createCounter(METRIC.frictionDecisions, {
      unit: '{decision}',
      description: 'Friction decisions, by tool (configured tools only), level and verdict',
    }),
  };
}

/** The instruments of the current global meter provider, or `undefined` without the api. */
function current(): Instruments | undefined {
  const api = openTelemetryApi();
  if (api === undefined) return undefined;
  const global = api.metrics.getMeterProvider();
  if (global !== provider || instruments === undefined) {
    provider = global;
    instruments = create(global);
  }
  return instruments;
}

/** One frozen attribute set per value: the hot path allocates nothing. */
function attributeSets<K extends string>(key: string, values: readonly K[]) {
  return Object.fromEntries(
    values.map((v) => [v, Object.freeze({ [key]: v })]),
  ) as unknown as Record<K, Attributes>;
}

const AUTH = attributeSets<AuthOutcome>(ATTR.authOutcome, [
  'allowed',
  'missing_token',
  'invalid_token',
  'insufficient_scope',
  'unavailable',
  'invalid_dpop_proof',
]);
const INTROSPECTION = attributeSets<VerificationResult>(ATTR.introspectionResult, [
  'active',
  'inactive',
  'error',
]);
const JWKS = attributeSets<JwksFetchResult>(ATTR.jwksResult, ['ok', 'error']);
const VERIFICATION = new Map<string, Attributes>();

/** Counts one request decided by the bearer gate. @internal */
export function recordAuthRequest(outcome: AuthOutcome): void {
  current()?.authRequests.add(1, AUTH[outcome]);
}

/** What {@link recordVerification} counts. @internal */
export interface VerificationRecord {
  readonly method: VerificationMethod;
  readonly result: VerificationResult;
  readonly cache: CacheResult;
}

/**
 * Counts one token verification. `cache: 'hit'` only when the verdict came from the verdict
 * cache; a verification that waited for another one's round trip, or ran with `cache: false`,
 * is a `miss`.
 * @internal
 */
export function recordVerification(record: VerificationRecord): void {
  const counter = current()?.verifications;
  if (counter === undefined) return;
  const key = `${record.method} ${record.result} ${record.cache}`;
  let attributes = VERIFICATION.get(key);
  if (attributes === undefined) {
    attributes = Object.freeze({
      [ATTR.verificationMethod]: record.method,
      [ATTR.verificationResult]: record.result,
      [ATTR.cacheResult]: record.cache,
    });
    VERIFICATION.set(key, attributes);
  }
  counter.add(1, attributes);
}

/** Records the duration of one introspection round trip, in seconds. @internal */
export function recordIntrospectionDuration(seconds: number, result: VerificationResult): void {
  current()?.introspectionDuration.record(seconds, INTROSPECTION[result]);
}

/** Counts one JWKS fetch (a real round trip, not a cache read). @internal */
export function recordJwksFetch(result: JwksFetchResult): void {
  current()?.jwksFetches.add(1, JWKS[result]);
}

/** The parts of a friction decision that are counted. @internal */
export interface FrictionDecisionRecord {
  readonly toolName: string;
  readonly frictionLevel: string;
  readonly allowed: boolean;
}

/**
 * Counts one friction decision. The tool name is an attribute only for configured tools: the
 * names of other tools come from clients, and would make the cardinality unbounded.
 * @internal
 */
export function recordFrictionDecision(
  decision: FrictionDecisionRecord,
  configured: boolean,
): void {
  const counter = current()?.frictionDecisions;
  if (counter === undefined) return;
  const attributes: Attributes = {
    [ATTR.frictionLevel]: decision.frictionLevel,
    [ATTR.frictionAllowed]: decision.allowed,
  };
  if (configured) attributes[ATTR.toolName] = decision.toolName;
  counter.add(1, attributes);
}
