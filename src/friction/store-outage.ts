/**
 * Outage bookkeeping of the registry's store calls, so that an unavailable store is logged once
 * per outage instead of once per decision: the first failed decision of an outage is logged
 * (`friction_store_error`, error), later ones are only counted, and the first decision that
 * succeeds again logs `friction_store_recovered` (warn) with that count. A failed decision's
 * result comes from here too.
 *
 * Layering: the registry owns the error-level record of a friction store outage (it knows the
 * consequence: limited calls refused or let through). A store may log its own transport state
 * below error level — the Redis store logs `redis_store_unavailable` (warn) and
 * `redis_store_recovered` (info) once per outage — so an outage yields one error line.
 *
 * @module
 * @internal
 */

import { AuthflowError } from '../errors.js';
import type { Clock, Logger } from '../types.js';
import type { FrictionResult } from './decision.js';
import { logStateInvalid, logStoreError, logStoreRecovered } from './events.js';
import type { ResolvedFrictionConfig } from './resolved-config.js';
import type { FrictionStepMode } from './store-port.js';

function storeFailureResult(
  tool: string,
  targetRate: number,
  allowed: boolean,
  message: string,
): FrictionResult {
  return {
    toolName: tool,
    allowed,
    cost: 0,
    frictionLevel: allowed ? 'NONE' : 'BLOCKED',
    currentRate: 0,
    targetRate,
    effectiveTarget: targetRate,
    friction: 0,
    justificationRequired: false,
    saturationDetected: false,
    message,
  };
}

/** One outage in progress. */
export interface Outage {
  readonly since: number;
  failed: number;
}

/** Tracks the outage state of one registry's store calls. @internal */
export class StoreOutageLog {
  readonly #logger: Logger;
  readonly #mode: 'fail-closed' | 'fail-open';
  readonly #now: Clock;
  #current: Outage | undefined;

  constructor(logger: Logger, mode: 'fail-closed' | 'fail-open', now: Clock) {
    this.#logger = logger;
    this.#mode = mode;
    this.#now = now;
  }

  /** The outage in progress, if any: take it when a store call starts, for {@link succeeded}. */
  get current(): Outage | undefined {
    return this.#current;
  }

  /** A store call failed: logs it when it starts an outage, else counts it. */
  failed(clientKey: string, tool: string, err: unknown): void {
    if (this.#current !== undefined) {
      this.#current.failed++;
      return;
    }
    this.#current = { since: this.#now(), failed: 1 };
    logStoreError(this.#logger, clientKey, tool, this.#mode, err);
  }

  /**
   * A store call succeeded. It ends the outage only when it started during it (`startedIn` is
   * {@link current} at its start): a call already in flight when the store failed proves
   * nothing about recovery.
   */
  succeeded(startedIn: Outage | undefined): void {
    const outage = this.#current;
    if (outage === undefined || outage !== startedIn) return;
    this.#current = undefined;
    const downMs = Math.max(0, this.#now() - outage.since);
    logStoreRecovered(this.#logger, this.#mode, outage.failed, downMs);
  }

  /**
   * The result of a decision whose store step threw `err`: a state that failed validation is
   * refused for a limited call whatever `onStoreError` says (and logged); any other failure is
   * an outage ({@link failed}) decided by `onStoreError`. Unlimited calls are always allowed.
   */
  decisionFailed(
    config: ResolvedFrictionConfig,
    clientKey: string,
    tool: string,
    mode: FrictionStepMode,
    err: unknown,
  ): FrictionResult {
    const i = config.toolIndex.get(tool);
    const limited = mode === 'check-and-record' && i !== undefined;
    const target = i === undefined ? 0 : config.tools[i]!.targetRate;
    if (err instanceof AuthflowError && err.code === 'ERR_FRICTION_STATE_INVALID') {
      logStateInvalid(this.#logger, clientKey, tool);
      const message = limited ? 'Friction state invalid; refused' : 'Friction state invalid';
      return storeFailureResult(tool, target, !limited, message);
    }
    const failOpen = this.#mode === 'fail-open';
    this.failed(clientKey, tool, err);
    let message = 'Friction store unavailable';
    if (!limited) message += '; tool not limited';
    else if (failOpen) message += '; allowed (fail-open)';
    return storeFailureResult(tool, target, !limited || failOpen, message);
  }
}
