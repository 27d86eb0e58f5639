/**
 * Structured friction events (DESIGN §3.5), written as plain JSON records through the injected
 * {@link Logger}. Field names follow the Python package so existing dashboards keep working.
 *
 * @module
 */

import type { Logger, LogRecord } from '../types.js';
import type { FrictionResult } from './decision.js';
import type { FrictionLifecycleEvent, FrictionSaturation } from './store-port.js';

/** Names of the events this module writes. */
export type FrictionEventType =
  | 'friction_check'
  | 'friction_block'
  | 'friction_justification'
  | 'friction_saturation'
  | 'friction_client_created'
  | 'friction_client_evicted'
  | 'friction_penalty_captured'
  | 'friction_penalty_restored'
  | 'friction_store_error'
  | 'friction_store_recovered'
  | 'friction_state_invalid'
  | 'friction_missing_auth';

function round(value: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(value * p) / p;
}

/** The record of a decision event (check, block, justification). @internal */
export function decisionRecord(
  eventType: FrictionEventType,
  clientKey: string,
  r: FrictionResult,
): LogRecord {
  return {
    event_type: eventType,
    client_id: clientKey,
    tool_name: r.toolName,
    friction: round(r.friction, 4),
    friction_level: r.frictionLevel,
    ema_rate: round(r.currentRate, 6),
    target_rate: round(r.targetRate, 6),
    effective_target: round(r.effectiveTarget, 6),
    cost: round(r.cost, 4),
    allowed: r.allowed,
    justification_required: r.justificationRequired,
    saturation_detected: r.saturationDetected,
  };
}

/**
 * Logs one decision: `friction_check` (info) always, then `friction_block` (warn) for a refused
 * call or `friction_justification` (info) for an allowed call that needs a justification.
 * `infoDropped` (the logger is known to drop `info`) skips building the `info` records.
 * @internal
 */
export function logDecision(
  logger: Logger,
  clientKey: string,
  r: FrictionResult,
  infoDropped = false,
): void {
  if (infoDropped) {
    if (!r.allowed) logger.warn(decisionRecord('friction_block', clientKey, r));
    return;
  }
  logger.info(decisionRecord('friction_check', clientKey, r));
  if (!r.allowed) logger.warn(decisionRecord('friction_block', clientKey, r));
  else if (r.justificationRequired) {
    logger.info(decisionRecord('friction_justification', clientKey, r));
  }
}

/** Logs `friction_saturation` (warn) once per tool when relief is first triggered. @internal */
export function logSaturation(logger: Logger, clientKey: string, s: FrictionSaturation): void {
  logger.warn({
    event_type: 'friction_saturation',
    client_id: clientKey,
    tool_name: s.toolName,
    friction: round(s.friction, 4),
    target_rate: round(s.targetRate, 6),
    effective_target: round(s.effectiveTarget, 6),
    saturation_detected: true,
  });
}

/** Logs a client lifecycle event of the store. @internal */
export function logLifecycle(logger: Logger, e: FrictionLifecycleEvent): void {
  switch (e.type) {
    case 'created':
      logger.debug({
        event_type: 'friction_client_created',
        client_id: e.clientKey,
        total_clients: e.totalClients,
      });
      return;
    case 'evicted':
      logger.info({
        event_type: 'friction_client_evicted',
        client_id: e.clientKey,
        total_clients: e.totalClients,
      });
      return;
    case 'penalty_captured':
      logger.info({
        event_type: 'friction_penalty_captured',
        client_id: e.clientKey,
        peak_friction: round(e.peakFriction, 4),
        ttl_ms: e.ttlMs,
      });
      return;
    case 'penalty_restored':
      logger.info({
        event_type: 'friction_penalty_restored',
        client_id: e.clientKey,
        peak_friction: round(e.peakFriction, 4),
      });
  }
}

/** Logs the first store failure of an outage (error) with the fail mode applied. @internal */
export function logStoreError(
  logger: Logger,
  clientKey: string,
  toolName: string,
  mode: 'fail-closed' | 'fail-open',
  err: unknown,
): void {
  const code = (err as { code?: unknown } | null)?.code;
  logger.error({
    event_type: 'friction_store_error',
    client_id: clientKey,
    tool_name: toolName,
    code: typeof code === 'string' ? code : 'ERR_STORE_UNAVAILABLE',
    on_store_error: mode,
    allowed: mode === 'fail-open',
  });
}

/**
 * Logs the end of a store outage (warn: during it limited calls were refused, or let through
 * unthrottled under fail-open) with the number of decisions taken without the store.
 * @internal
 */
export function logStoreRecovered(
  logger: Logger,
  mode: 'fail-closed' | 'fail-open',
  failedDecisions: number,
  downMs: number,
): void {
  logger.warn({
    event_type: 'friction_store_recovered',
    failed_decisions: failedDecisions,
    down_ms: downMs,
    on_store_error: mode,
  });
}

/**
 * Logs a stored state that failed validation (error): the limited call is refused whatever
 * `onStoreError` says, and the state is left for an operator (or its expiry). @internal
 */
export function logStateInvalid(logger: Logger, clientKey: string, toolName: string): void {
  logger.error({
    event_type: 'friction_state_invalid',
    client_id: clientKey,
    tool_name: toolName,
    code: 'ERR_FRICTION_STATE_INVALID',
    allowed: false,
  });
}
