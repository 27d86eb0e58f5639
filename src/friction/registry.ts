/**
 * `FrictionRegistry`: one friction state per client key, kept in a {@link Store}. Calls of one
 * client are serialised; different clients proceed in parallel.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { dropsInfo } from '../lib/logger.js';
import { assertKnownKeys } from '../lib/option-keys.js';
import { countFrictionDecision } from '../telemetry/friction.js';
import type { Logger } from '../types.js';
import type { FrictionClientStatus, FrictionResult } from './decision.js';
import { logDecision, logLifecycle, logSaturation } from './events.js';
import { MemoryFrictionStore, ownedMemoryStateStore } from './memory-state-store.js';
import {
  FRICTION_REGISTRY_OPTIONS,
  type FrictionKeyBy,
  type FrictionRegistryOptions,
  keyByLabel,
  type ResolvedFrictionRegistryOptions,
  resolveRegistryOptions,
} from './registry-options.js';
import type { ResolvedFrictionConfig } from './resolved-config.js';
import { StoreOutageLog } from './store-outage.js';
import type {
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  FrictionStoreSpec,
} from './store-port.js';

export type { FrictionKeyBy, FrictionRegistryOptions, OnStoreError } from './registry-options.js';

function checkKey(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The argument "${name}" must be a non-empty string`);
  }
}

/** The settled promise of a synchronous `recordUnconfigured` (no allocation per call). */
const RESOLVED: Promise<void> = Promise.resolve();
const NOTHING = (): void => undefined;

/**
 * Per-client friction control.
 *
 * @example
 * ```ts
 * const registry = new FrictionRegistry({ toolConfigs: { delete_task: { targetRate: 0.03 } } });
 * const r = await registry.checkAndRecord(authInfo.clientId, 'delete_task');
 * ```
 */
export class FrictionRegistry {
  /** The validated configuration shared by every client. */
  readonly config: ResolvedFrictionConfig;
  /** The logger receiving friction events (wrappers use it too). */
  readonly logger: Logger;
  /** How client keys are derived (the wrappers' default). */
  readonly keyBy: FrictionKeyBy;
  readonly #opts: ResolvedFrictionRegistryOptions;
  readonly #states: FrictionStateStore;
  /** The state store when it is exactly the in-process one: its direct, allocation-free steps. */
  readonly #memory: MemoryFrictionStore | undefined;
  /** Closes the state store the registry created (none when a `store` was given). */
  readonly #closeOwned: (() => Promise<void>) | undefined;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #outage: StoreOutageLog;
  readonly #infoDropped: boolean;

  /**
   * @param options - See {@link FrictionRegistryOptions}.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
   */
  constructor(options: FrictionRegistryOptions = {}) {
    assertKnownKeys(options, FRICTION_REGISTRY_OPTIONS, 'FrictionRegistry');
    this.#opts = resolveRegistryOptions(options);
    this.config = this.#opts.config;
    this.logger = this.#opts.logger;
    this.keyBy = this.#opts.keyBy;
    const { config, maxClients, penaltyTtlMs, penaltyMinFriction } = this.#opts;
    const spec: FrictionStoreSpec = {
      config,
      maxClients,
      penaltyTtlMs,
      penaltyMinFriction,
      keyBy: keyByLabel(this.keyBy),
    };
    if (options.store === undefined) {
      const owned = ownedMemoryStateStore(spec, this.#opts.now);
      this.#states = owned.states;
      this.#closeOwned = owned.close;
    } else {
      this.#states = options.store.friction(spec);
    }
    this.#memory =
      Object.getPrototypeOf(this.#states) === MemoryFrictionStore.prototype
        ? (this.#states as MemoryFrictionStore)
        : undefined;
    this.#outage = new StoreOutageLog(this.logger, this.#opts.onStoreError, this.#opts.now);
    this.#infoDropped = dropsInfo(this.logger);
  }

  /** Whether `tool` has a friction configuration (is limited). */
  isConfigured(tool: string): boolean {
    return this.config.toolIndex.has(tool);
  }

  /**
   * Checks a call of `tool` by `clientKey` and records it when allowed, atomically.
   *
   * @returns The decision (a refused call is a result with `allowed: false`, never a rejection).
   * @throws TypeError `ERR_INVALID_ARG_TYPE` (as a rejection) for an empty key or tool name.
   */
  checkAndRecord(clientKey: string, tool: string): Promise<FrictionResult> {
    try {
      checkKey(clientKey, 'clientKey');
      checkKey(tool, 'tool');
    } catch (err) {
      return Promise.reject(err);
    }
    const configured = this.isConfigured(tool);
    if (this.#memory !== undefined) {
      return Promise.resolve(
        countFrictionDecision(
          this.#memoryCheck(this.#memory, clientKey, tool, configured),
          configured,
        ),
      );
    }
    if (this.#syncReady(clientKey)) {
      const decision = this.#decideSync(clientKey, tool, 'check-and-record');
      return Promise.resolve(countFrictionDecision(decision, configured));
    }
    return this.#step(clientKey, tool, 'check-and-record').then((d) =>
      countFrictionDecision(d, configured),
    );
  }

  /**
   * Records a call of an unlimited tool (it counts in the client's window).
   *
   * @throws TypeError `ERR_INVALID_ARG_TYPE` (as a rejection) for an empty key or tool name.
   */
  recordUnconfigured(clientKey: string, tool: string): Promise<void> {
    try {
      checkKey(clientKey, 'clientKey');
      checkKey(tool, 'tool');
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#memory !== undefined) {
      this.#memoryRecord(this.#memory, clientKey, tool);
      return RESOLVED;
    }
    if (this.#syncReady(clientKey)) {
      this.#decideSync(clientKey, tool, 'record');
      return RESOLVED;
    }
    return this.#step(clientKey, tool, 'record').then(NOTHING);
  }

  /** Status of a client's configured tools now, or `undefined` when it has no state. */
  getClientStatus(clientKey: string): Promise<FrictionClientStatus | undefined> {
    return this.#states.status(clientKey, this.#opts.now());
  }

  /** Number of client states held. */
  get clientCount(): number {
    return this.#states.size;
  }

  /** Closes the store when the registry created it. */
  async close(): Promise<void> {
    if (this.#closeOwned !== undefined) await this.#closeOwned();
  }

  /** Whether the store steps synchronously and no asynchronous step of the client is pending. */
  #syncReady(clientKey: string): boolean {
    return (
      this.#states.stepSync !== undefined &&
      (this.#chains.size === 0 || !this.#chains.has(clientKey))
    );
  }

  /**
   * `#decideSync` on the in-process store (which never leaves a chain): the same logs in the
   * same order, without the step outcome object.
   */
  #memoryCheck(
    mem: MemoryFrictionStore,
    clientKey: string,
    tool: string,
    configured: boolean,
  ): FrictionResult {
    const outage = this.#outage.current;
    let result: FrictionResult;
    try {
      result = mem.checkAndRecordSync(clientKey, tool, this.#opts.now());
    } catch (err) {
      return this.#storeFailed(clientKey, tool, 'check-and-record', err);
    }
    this.#outage.succeeded(outage);
    if (mem.stepEventful) this.#logStep(clientKey, mem.stepEvents, mem.stepSaturations());
    if (configured) logDecision(this.logger, clientKey, result, this.#infoDropped);
    return result;
  }

  /** `#decideSync` in mode `'record'` on the in-process store, without building a result. */
  #memoryRecord(mem: MemoryFrictionStore, clientKey: string, tool: string): void {
    const outage = this.#outage.current;
    try {
      mem.recordSync(clientKey, tool, this.#opts.now());
    } catch (err) {
      this.#storeFailed(clientKey, tool, 'record', err);
      return;
    }
    this.#outage.succeeded(outage);
    if (mem.stepEventful) this.#logStep(clientKey, mem.stepEvents, mem.stepSaturations());
  }

  #logStep(
    clientKey: string,
    events: FrictionStepOutcome['events'],
    saturated: FrictionStepOutcome['saturated'],
  ): void {
    const { logger } = this;
    for (let i = 0; i < events.length; i++) logLifecycle(logger, events[i]!);
    for (let i = 0; i < saturated.length; i++) logSaturation(logger, clientKey, saturated[i]!);
  }

  #step(clientKey: string, tool: string, mode: FrictionStepMode): Promise<FrictionResult> {
    const prev = this.#chains.get(clientKey);
    const run = prev
      ? prev.then(() => this.#decide(clientKey, tool, mode))
      : this.#decide(clientKey, tool, mode);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#chains.set(clientKey, tail);
    void tail.then(() => {
      if (this.#chains.get(clientKey) === tail) this.#chains.delete(clientKey);
    });
    return run;
  }

  /** A synchronous store step is atomic by itself: no chain needed. */
  #decideSync(clientKey: string, tool: string, mode: FrictionStepMode): FrictionResult {
    const outage = this.#outage.current;
    let outcome: FrictionStepOutcome;
    try {
      outcome = this.#states.stepSync!(clientKey, tool, this.#opts.now(), mode);
    } catch (err) {
      return this.#storeFailed(clientKey, tool, mode, err);
    }
    return this.#decided(clientKey, tool, mode, outcome, outage);
  }

  async #decide(clientKey: string, tool: string, mode: FrictionStepMode): Promise<FrictionResult> {
    let outcome: FrictionStepOutcome;
    const outage = this.#outage.current;
    try {
      outcome = await this.#states.step(clientKey, tool, this.#opts.now(), mode);
    } catch (err) {
      return this.#storeFailed(clientKey, tool, mode, err);
    }
    return this.#decided(clientKey, tool, mode, outcome, outage);
  }

  #decided(
    clientKey: string,
    tool: string,
    mode: FrictionStepMode,
    outcome: FrictionStepOutcome,
    outage: StoreOutageLog['current'],
  ): FrictionResult {
    this.#outage.succeeded(outage);
    const { events, saturated } = outcome;
    if (events.length > 0 || saturated.length > 0) this.#logStep(clientKey, events, saturated);
    if (mode === 'check-and-record' && this.isConfigured(tool)) {
      logDecision(this.logger, clientKey, outcome.result, this.#infoDropped);
    }
    return outcome.result;
  }

  #storeFailed(clientKey: string, tool: string, mode: FrictionStepMode, err: unknown) {
    return this.#outage.decisionFailed(this.config, clientKey, tool, mode, err);
  }
}
