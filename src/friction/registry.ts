/**
 * `FrictionRegistry`: one friction state per client key, kept in a {@link Store}. Calls of one
 * client are serialised; different clients proceed in parallel.
 *
 * @module
 */

import { AuthflowError, invalidArg } from '../errors.js';
import { defaultLogger, dropsInfo } from '../lib/logger.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import { MemoryStore } from '../store/memory.js';
import { countFrictionDecision } from '../telemetry/friction.js';
import type { AuthInfo, Clock, Logger } from '../types.js';
import {
  type ControllerConfig,
  type ResolvedFrictionConfig,
  resolveFrictionConfig,
  type ToolFrictionConfig,
  type ToolGroupConfig,
} from './config.js';
import type { FrictionClientStatus, FrictionResult } from './decision.js';
import { logDecision, logLifecycle, logSaturation, logStateInvalid } from './events.js';
import { StoreOutageLog } from './store-outage.js';
import type {
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  Store,
} from './store-port.js';

/** @default 1000 */
const DEFAULT_MAX_CLIENTS = 1000;
/** One hour, the Python default. @default 3600000 */
const DEFAULT_PENALTY_TTL_MS = 3_600_000;
/** @default 0.1 */
const DEFAULT_PENALTY_MIN_FRICTION = 0.1;

/** What to do when the store fails: refuse limited tools (default) or let them run. */
export type OnStoreError = 'fail-closed' | 'fail-open';

/** Options of {@link FrictionRegistry}. */
export interface FrictionRegistryOptions {
  /**
   * Controller tuning shared by every client; `controller: 'adaptive'` selects the adaptive
   * loop. @default Python defaults, `controller: 'adaptive'` (`'proportional'` for the Python
   * package's loop)
   */
  readonly defaultConfig?: ControllerConfig;
  /** Limited tools; every other tool is only recorded. @default {} */
  readonly toolConfigs?: Readonly<Record<string, ToolFrictionConfig>>;
  /** Aggregate groups. @default {} */
  readonly toolGroups?: Readonly<Record<string, ToolGroupConfig>>;
  /** Client states kept before least-recently-used eviction; integer ≥ 1. @default 1000 */
  readonly maxClients?: number;
  /** How long an evicted client's friction is kept, ms; 0 disables. @default 3600000 */
  readonly penaltyTtlMs?: number;
  /** Per-tool friction worth keeping across eviction, in [0, 1]. @default 0.1 */
  readonly penaltyMinFriction?: number;
  /** Where states live. @default a new `MemoryStore` (closed by {@link FrictionRegistry.close}) */
  readonly store?: Store;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: Clock;
  /** Receives the friction events. @default the library's default logger */
  readonly logger?: Logger;
  /**
   * Behaviour when the store fails. A store outage is logged once: `friction_store_error`
   * (error) for its first failed decision, then `friction_store_recovered` (warn, with the
   * number of failed decisions) when a decision succeeds again. @default 'fail-closed'
   */
  readonly onStoreError?: OnStoreError;
  /**
   * How the wrappers derive client keys (the wrappers' default `keyBy`): `'clientId'`,
   * `'subject'` or a function. It is part of the fingerprint of shared-store keys, so two apps
   * sharing a Redis prefix with different keying never share states. @default 'clientId'
   */
  readonly keyBy?: FrictionKeyBy;
}

/** What identifies a client: the OAuth client, the user (`authInfo.extra.subject`) or a function. */
export type FrictionKeyBy = 'clientId' | 'subject' | ((authInfo: AuthInfo) => string | undefined);

/** A stable label of a `keyBy` for the key fingerprint (a function by its source text). */
function keyByLabel(keyBy: FrictionKeyBy): string {
  return typeof keyBy === 'function' ? `function:${keyBy.toString()}` : keyBy;
}

/** Keys of {@link FrictionRegistryOptions}. */
const FRICTION_REGISTRY_OPTIONS: OptionKeys<FrictionRegistryOptions> = {
  defaultConfig: true,
  toolConfigs: true,
  toolGroups: true,
  maxClients: true,
  penaltyTtlMs: true,
  penaltyMinFriction: true,
  keyBy: true,
  store: true,
  now: true,
  logger: true,
  onStoreError: true,
};

function checkNumber(value: unknown, name: string, def: number, min: number, max: number) {
  if (value === undefined) return def;
  if (typeof value !== 'number') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a number`);
  }
  if (!(value >= min && value <= max)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `The option "${name}" must be in [${min}, ${max}]`);
  }
  return value;
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `The option "${name}" must be a function`);
  }
}

function resolveRegistryOptions(o: FrictionRegistryOptions) {
  const maxClients = checkNumber(o.maxClients, 'maxClients', DEFAULT_MAX_CLIENTS, 1, 2 ** 31);
  if (!Number.isInteger(maxClients)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "maxClients" must be an integer');
  }
  checkFunction(o.now, 'now');
  if (
    o.onStoreError !== undefined &&
    o.onStoreError !== 'fail-closed' &&
    o.onStoreError !== 'fail-open'
  ) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "onStoreError" must be "fail-closed" or "fail-open"',
    );
  }
  if (o.store !== undefined && typeof o.store?.friction !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "store" must implement Store');
  }
  const keyBy = o.keyBy ?? 'clientId';
  if (keyBy !== 'clientId' && keyBy !== 'subject' && typeof keyBy !== 'function') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "keyBy" must be "clientId", "subject" or a function',
    );
  }
  const logger = o.logger ?? defaultLogger;
  if (typeof logger?.warn !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "logger" must implement Logger');
  }
  return Object.freeze({
    config: resolveFrictionConfig({
      ...o.defaultConfig,
      toolConfigs: o.toolConfigs,
      toolGroups: o.toolGroups,
    }),
    maxClients,
    penaltyTtlMs: checkNumber(
      o.penaltyTtlMs,
      'penaltyTtlMs',
      DEFAULT_PENALTY_TTL_MS,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    penaltyMinFriction: checkNumber(
      o.penaltyMinFriction,
      'penaltyMinFriction',
      DEFAULT_PENALTY_MIN_FRICTION,
      0,
      1,
    ),
    now: o.now ?? Date.now,
    logger,
    onStoreError: o.onStoreError ?? 'fail-closed',
    keyBy,
  });
}

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
  readonly #opts: ReturnType<typeof resolveRegistryOptions>;
  readonly #store: Store;
  readonly #ownsStore: boolean;
  readonly #states: FrictionStateStore;
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
    this.#ownsStore = options.store === undefined;
    this.#store = options.store ?? new MemoryStore({ now: this.#opts.now });
    const { config, maxClients, penaltyTtlMs, penaltyMinFriction } = this.#opts;
    this.#states = this.#store.friction({
      config,
      maxClients,
      penaltyTtlMs,
      penaltyMinFriction,
      keyBy: keyByLabel(this.keyBy),
    });
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
    if (this.#states.stepSync !== undefined && !this.#chains.has(clientKey)) {
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
    if (this.#states.stepSync !== undefined && !this.#chains.has(clientKey)) {
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
    if (this.#ownsStore) await this.#store.close();
  }

  #step(clientKey: string, tool: string, mode: FrictionStepMode): Promise<FrictionResult> {
    const prev = this.#chains.get(clientKey);
    if (prev === undefined && this.#states.stepSync !== undefined) {
      return Promise.resolve(this.#decideSync(clientKey, tool, mode));
    }
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
    const { logger } = this.#opts;
    this.#outage.succeeded(outage);
    for (const e of outcome.events) logLifecycle(logger, e);
    for (const s of outcome.saturated) logSaturation(logger, clientKey, s);
    if (mode === 'check-and-record' && this.isConfigured(tool)) {
      logDecision(logger, clientKey, outcome.result, this.#infoDropped);
    }
    return outcome.result;
  }

  #storeFailed(clientKey: string, tool: string, mode: FrictionStepMode, err: unknown) {
    const i = this.config.toolIndex.get(tool);
    const limited = mode === 'check-and-record' && i !== undefined;
    const target = i === undefined ? 0 : this.config.tools[i]!.targetRate;
    if (err instanceof AuthflowError && err.code === 'ERR_FRICTION_STATE_INVALID') {
      // One rule for corrupt or foreign state: refuse (whatever onStoreError says) and log.
      logStateInvalid(this.#opts.logger, clientKey, tool);
      const message = limited ? 'Friction state invalid; refused' : 'Friction state invalid';
      return storeFailureResult(tool, target, !limited, message);
    }
    const failOpen = this.#opts.onStoreError === 'fail-open';
    this.#outage.failed(clientKey, tool, err);
    let message = 'Friction store unavailable';
    if (!limited) message += '; tool not limited';
    else if (failOpen) message += '; allowed (fail-open)';
    return storeFailureResult(tool, target, !limited || failOpen, message);
  }
}
