/**
 * The store port friction needs (DESIGN §2, §3.7): friction owns this contract and `src/store`
 * implements it (store → friction, never back). A store holds friction state and small cached
 * values (the introspection cache). Every operation is one atomic step so that a shared store
 * (Redis) can do each friction decision in one round trip, running the same math as the memory
 * store over the same state layout.
 *
 * @module
 */

import type { ResolvedFrictionConfig } from './config.js';
import type { FrictionClientStatus, FrictionResult } from './decision.js';

/**
 * What a friction step does: `'check-and-record'` checks the call and records it only when
 * allowed (the registry's decision); `'record'` records it without a check (unlimited tools).
 */
export type FrictionStepMode = 'check-and-record' | 'record';

/** What a friction state store needs to know, fixed when it is bound. */
export interface FrictionStoreSpec {
  /** The validated controller configuration (tools, groups, tuning). */
  readonly config: ResolvedFrictionConfig;
  /** Client states kept (least recently used beyond this are evicted); integer ≥ 1. */
  readonly maxClients: number;
  /** How long an evicted client's penalty is kept, ms; 0 disables the penalty store. */
  readonly penaltyTtlMs: number;
  /** Per-tool friction at or above which it is kept across eviction. */
  readonly penaltyMinFriction: number;
  /**
   * A label of how client keys are derived (`'clientId'`, `'subject'`, `'function:…'`); a
   * shared store puts it in the key fingerprint. @default 'clientId'
   */
  readonly keyBy?: string;
}

/** A client lifecycle event that happened during a step, for the registry to log. */
export type FrictionLifecycleEvent =
  | { readonly type: 'created'; readonly clientKey: string; readonly totalClients: number }
  | { readonly type: 'evicted'; readonly clientKey: string; readonly totalClients: number }
  | {
      readonly type: 'penalty_captured';
      readonly clientKey: string;
      readonly peakFriction: number;
      readonly ttlMs: number;
    }
  | {
      readonly type: 'penalty_restored';
      readonly clientKey: string;
      readonly peakFriction: number;
    };

/** A tool whose saturation relief was first triggered, as it is after the step. */
export interface FrictionSaturation {
  readonly toolName: string;
  readonly friction: number;
  readonly targetRate: number;
  readonly effectiveTarget: number;
}

/** The outcome of one atomic friction step. */
export interface FrictionStepOutcome {
  /**
   * `'check-and-record'`: the check result from before recording. `'record'`: the state of the
   * tool after recording.
   */
  readonly result: FrictionResult;
  /** Tools whose saturation relief was first triggered in this step. */
  readonly saturated: readonly FrictionSaturation[];
  /** Client creation, eviction and penalty events of this step. */
  readonly events: readonly FrictionLifecycleEvent[];
}

/** Friction state of many clients for one configuration. */
export interface FrictionStateStore {
  /**
   * One atomic decision for `clientKey` at `nowMs` (epoch ms): creates the client state when
   * absent (restoring a kept penalty), then checks and/or records per `mode`.
   *
   * @throws An `AuthflowError` coded `ERR_STORE_UNAVAILABLE` when the backend cannot answer.
   */
  step(
    clientKey: string,
    tool: string,
    nowMs: number,
    mode: FrictionStepMode,
  ): Promise<FrictionStepOutcome>;
  /**
   * The same step done synchronously, for stores that need no I/O (the memory store). When
   * present, the registry uses it and skips its per-client promise chain.
   */
  stepSync?(
    clientKey: string,
    tool: string,
    nowMs: number,
    mode: FrictionStepMode,
  ): FrictionStepOutcome;
  /** Status of a client's configured tools at `nowMs`, or `undefined` when it has no state. */
  status(clientKey: string, nowMs: number): Promise<FrictionClientStatus | undefined>;
  /** Client states held (for a shared store: as known to this process). */
  readonly size: number;
}

/**
 * A store: friction state plus a small key-value cache with per-entry TTL. Implement it by
 * composition; `MemoryStore` is the embedded default.
 */
export interface Store {
  /** Whether several processes share this store's data. */
  readonly shared: boolean;
  /** A cached value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /**
   * Caches a value for `ttlMs` milliseconds (integer ≥ 1).
   *
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a non-positive TTL.
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes a cached value (no error when absent). */
  delete(key: string): Promise<void>;
  /**
   * Records `key` for `ttlMs` milliseconds (integer ≥ 1) unless it is already there, atomically:
   * `true` when it was absent (Redis `SET key 1 NX PX ttlMs`). The DPoP replay check (RFC 9449
   * §11.1) uses it; stores without it cannot be a `dpop.replayStore`.
   *
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a non-positive TTL.
   */
  setIfAbsent?(key: string, ttlMs: number): Promise<boolean>;
  /** Binds a friction state store for one configuration; called once per registry. */
  friction(spec: FrictionStoreSpec): FrictionStateStore;
  /** Releases timers and connections. Idempotent. */
  close(): Promise<void>;
}
