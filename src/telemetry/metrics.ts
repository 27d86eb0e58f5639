/**
 * The library's metric instruments and the functions that record into them. Instruments are
 * created on first use and again whenever the global meter provider changes, so an application
 * that registers its SDK after importing the library is still seen. With no provider registered
 * (the api's no-op one) or no api, every record function returns after one provider check.
 *
 * @module
 * @internal
 * @see https://opentelemetry.io/docs/specs/otel/metrics/api/
 */

import type { Attributes, Counter, Histogram, Meter, MeterProvider } from '@opentelemetry/api';
import { openTelemetryApi, openTelemetryMetrics } from './api.js';
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

/** Counts per attribute set (keyed by the frozen attribute object), read at collection. */
type Tally = Map<Attributes, number>;

interface Instruments {
  readonly auth: Tally;
  readonly verifications: Tally;
  readonly friction: Tally;
  readonly introspectionDuration: Histogram;
  readonly jwksFetches: Counter;
}

/** The global meter provider last seen. */
let provider: MeterProvider | undefined;
/** Its instruments; `undefined` while it is the api's no-op provider. */
let instruments: Instruments | undefined;

/**
 * A counter of the hot path (every request, every tool call) as an asynchronous counter: a
 * request costs one `Map` increment, and the SDK reads the totals when it collects. Exported like
 * any counter (a monotonic sum; `_total` in Prometheus).
 */
function hotCounter(meter: Meter, name: string, unit: string, description: string): Tally {
  const tally: Tally = new Map();
  meter.createObservableCounter(name, { unit, description }).addCallback((result) => {
    for (const [attributes, value] of tally) result.observe(value, attributes);
  });
  return tally;
}

function create(meter: Meter): Instruments {
  return {
    auth: hotCounter(
      meter,
      METRIC.authRequests,
      '{request}',
      'Requests decided by the bearer gate, by outcome',
    ),
    verifications: hotCounter(
      meter,
      METRIC.verifications,
      '{verification}',
      'Token verifications, by method, result and cache result',
    ),
    friction: hotCounter(
      meter,
      METRIC.frictionDecisions,
      '{decision}',
      'Friction decisions, by tool (configured tools only), level and verdict',
    ),
    introspectionDuration: meter.createHistogram(METRIC.introspectionDuration, {
      unit: 's',
      description: 'Duration of RFC 7662 introspection round trips',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] },
    }),
    jwksFetches: meter.createCounter(METRIC.jwksFetches, {
      unit: '{fetch}',
      description: 'JWKS fetches, by result',
    }),
  };
}

/**
 * The instruments of the current global meter provider, or `undefined` without the api or while
 * the provider is the api's no-op one (its meter is the api's no-op meter: nothing would be
 * exported, so nothing is tallied). A new provider gets new instruments and fresh totals (it
 * counts from the moment it is seen).
 */
function current(): Instruments | undefined {
  const metrics = openTelemetryMetrics();
  if (metrics === undefined) return undefined;
  const global = metrics.getMeterProvider();
  if (global !== provider) {
    const meter = global.getMeter(INSTRUMENTATION_SCOPE);
    provider = global;
    instruments = meter === openTelemetryApi()?.createNoopMeter?.() ? undefined : create(meter);
  }
  return instruments;
}

function increment(tally: Tally, attributes: Attributes): void {
  tally.set(attributes, (tally.get(attributes) ?? 0) + 1);
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
/** By method, then result, then cache result. */
const VERIFICATION = new Map<string, Map<string, Map<string, Attributes>>>();
/** By tool (`''`: unconfigured), then level, then verdict. Bounded: configured tools × 5 × 2. */
const FRICTION = new Map<string, Map<string, Map<string, Attributes>>>();

function level<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/** Counts one request decided by the bearer gate. @internal */
export function recordAuthRequest(outcome: AuthOutcome): void {
  const tally = current()?.auth;
  if (tally !== undefined) increment(tally, AUTH[outcome]);
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
  const tally = current()?.verifications;
  if (tally === undefined) return;
  // Looked up without building a string key: the hot path allocates nothing.
  const byCache = level(level(VERIFICATION, record.method), record.result);
  let attributes = byCache.get(record.cache);
  if (attributes === undefined) {
    attributes = Object.freeze({
      [ATTR.verificationMethod]: record.method,
      [ATTR.verificationResult]: record.result,
      [ATTR.cacheResult]: record.cache,
    });
    byCache.set(record.cache, attributes);
  }
  increment(tally, attributes);
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
  const tally = current()?.friction;
  if (tally === undefined) return;
  const tool = configured ? decision.toolName : '';
  // Looked up without building a string key, as for verifications.
  const byVerdict = level(level(FRICTION, tool), decision.frictionLevel);
  const verdict = decision.allowed ? 'true' : 'false';
  let attributes = byVerdict.get(verdict);
  if (attributes === undefined) {
    attributes = Object.freeze({
      ...(configured ? { [ATTR.toolName]: decision.toolName } : {}),
      [ATTR.frictionLevel]: decision.frictionLevel,
      [ATTR.frictionAllowed]: decision.allowed,
    });
    byVerdict.set(verdict, attributes);
  }
  increment(tally, attributes);
}
