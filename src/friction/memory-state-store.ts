/**
 * In-process friction state store, friction's own implementation of its port: an LRU of client
 * states bounded by `maxClients`, and a penalty table (TTL- and size-bounded) so an evicted
 * client's friction is restored when it returns — cycling client ids is not a way to reset
 * friction. `MemoryStore.friction()` binds one; a registry without a `store` owns one directly.
 *
 * @module
 * @internal
 */

import type { Clock } from '../types.js';
import { ceilingLevels } from './ceiling.js';
import { decayFactor } from './decay.js';
import type { FrictionClientStatus, FrictionResult } from './decision.js';
import { LruMap } from './lru.js';
import {
  checkAndRecordState,
  checkState,
  createState,
  type LiveState,
  peakFrictions,
  recordState,
  restoreFrictions,
} from './state.js';
import { statusState } from './state-status.js';
import type {
  FrictionLifecycleEvent,
  FrictionSaturation,
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  FrictionStoreSpec,
} from './store-port.js';

/** Evicted clients' penalties kept per binding. @default 10000 */
export const DEFAULT_MAX_PENALTIES = 10_000;
/** Interval of the (unref'd) sweep of expired penalties, ms. @default 60000 */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * What an evicted client leaves behind: everything that limits it — frictions (decayed like
 * friction on restore), the spent budget (when budgeting is on) and the ceiling buckets.
 */
interface Penalty {
  readonly capturedAt: number;
  readonly expiresAt: number;
  readonly levels: Record<string, number>;
  readonly spent: number;
  /** Bucket levels as of `capturedAt` (undefined: all empty). */
  readonly ceilings: number[] | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

function peakOf(levels: Readonly<Record<string, number>>): number {
  return Math.max(0, ...Object.values(levels));
}

/** The in-process {@link FrictionStateStore}. @internal */
export class MemoryFrictionStore implements FrictionStateStore {
  readonly #spec: FrictionStoreSpec;
  readonly #maxPenalties: number;
  readonly #states = new LruMap<LiveState>();
  readonly #penalties = new Map<string, Penalty>();
  /** The state of the current (or last) step; a step is synchronous. */
  #state: LiveState | undefined;
  /** Lifecycle events of the current step. */
  #events: FrictionLifecycleEvent[] | undefined;
  /** Tools first saturated during the current step. */
  #saturated: number[] | undefined;
  /** Collects into {@link #saturated}; one function for every step, not one per call. */
  readonly #onSaturation = (i: number): void => {
    this.#saturated ??= [];
    this.#saturated.push(i);
  };

  constructor(spec: FrictionStoreSpec, maxPenalties: number) {
    this.#spec = spec;
    this.#maxPenalties = maxPenalties;
  }

  get size(): number {
    return this.#states.size;
  }

  step(clientKey: string, tool: string, nowMs: number, mode: FrictionStepMode) {
    try {
      return Promise.resolve(this.stepSync(clientKey, tool, nowMs, mode));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The synchronous step (the memory store needs no I/O). */
  stepSync(
    clientKey: string,
    tool: string,
    t: number,
    mode: FrictionStepMode,
  ): FrictionStepOutcome {
    let result: FrictionResult;
    if (mode === 'check-and-record') {
      result = this.checkAndRecordSync(clientKey, tool, t);
    } else {
      this.recordSync(clientKey, tool, t);
      result = checkState(this.#spec.config, this.#state!, tool, t);
    }
    return { result, saturated: this.stepSaturations(), events: this.stepEvents };
  }

  /**
   * `stepSync` in mode `'check-and-record'`, returning only the result; the step's events and
   * saturations are then {@link stepEvents} and {@link stepSaturations}.
   */
  checkAndRecordSync(clientKey: string, tool: string, t: number): FrictionResult {
    const s = this.#enter(clientKey, t);
    return checkAndRecordState(this.#spec.config, s, tool, t, this.#onSaturation);
  }

  /** `stepSync` in mode `'record'` without building the result nobody reads. */
  recordSync(clientKey: string, tool: string, t: number): void {
    const s = this.#enter(clientKey, t);
    recordState(this.#spec.config, s, tool, t, false, this.#onSaturation);
  }

  /** Whether the last step had lifecycle events or saturations. */
  get stepEventful(): boolean {
    return this.#events !== undefined || this.#saturated !== undefined;
  }

  /** The lifecycle events of the last step. */
  get stepEvents(): readonly FrictionLifecycleEvent[] {
    return this.#events ?? NONE;
  }

  /** The tools first saturated in the last step, as they are after it. */
  stepSaturations(): readonly FrictionSaturation[] {
    const sat = this.#saturated;
    if (sat === undefined) return NONE;
    const cfg = this.#spec.config;
    const state = this.#state!;
    return sat.map((i) => ({
      toolName: cfg.tools[i]!.name,
      friction: state.friction[i]!,
      targetRate: cfg.tools[i]!.targetRate,
      effectiveTarget: state.target[i]!,
    }));
  }

  /** Starts a step: the client's state, created (or restored) when absent, now the most recent. */
  #enter(clientKey: string, t: number): LiveState {
    this.#events = undefined;
    this.#saturated = undefined;
    let s = this.#states.use(clientKey);
    if (s === undefined) {
      this.#events = [];
      s = this.#create(clientKey, t, this.#events);
    }
    this.#state = s;
    return s;
  }

  status(clientKey: string, nowMs: number): Promise<FrictionClientStatus | undefined> {
    const s = this.#states.peek(clientKey);
    return Promise.resolve(s && statusState(this.#spec.config, s, nowMs));
  }

  /** Drops expired penalties. */
  sweep(nowMs: number): void {
    for (const [key, p] of this.#penalties) if (p.expiresAt <= nowMs) this.#penalties.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.#states.clear();
    this.#penalties.clear();
    this.#state = undefined;
  }

  #create(clientKey: string, t: number, events: FrictionLifecycleEvent[]): LiveState {
    while (this.#states.size >= this.#spec.maxClients) {
      const [oldest, state] = this.#states.shift()!;
      this.#capture(oldest, state, t, events);
      events.push({ type: 'evicted', clientKey: oldest, totalClients: this.#states.size });
    }
    const s = createState(this.#spec.config);
    this.#restore(clientKey, s, t, events);
    this.#states.add(clientKey, s);
    events.push({ type: 'created', clientKey, totalClients: this.#states.size });
    return s;
  }

  #decayed(p: Penalty, t: number): Record<string, number> {
    const d = decayFactor(this.#spec.config, { lastT: p.capturedAt }, t);
    const out: Record<string, number> = {};
    for (const [tool, f] of Object.entries(p.levels)) out[tool] = f * d;
    return out;
  }

  #capture(key: string, s: LiveState, t: number, events: FrictionLifecycleEvent[]): void {
    const { penaltyTtlMs: ttlMs, penaltyMinFriction, config } = this.#spec;
    if (ttlMs <= 0) return;
    this.sweep(t);
    const levels = peakFrictions(config, s, t, penaltyMinFriction) ?? {};
    const spent = Number.isFinite(config.defaultBudget) ? s.spent : 0;
    const ceilings = ceilingLevels(config.ceilings, s, t);
    if (Object.keys(levels).length === 0 && spent === 0 && ceilings === undefined) return;
    // A key is never both live and penalised: `#restore` takes the penalty when the client returns.
    this.#penalties.set(key, { capturedAt: t, expiresAt: t + ttlMs, levels, spent, ceilings });
    while (this.#penalties.size > this.#maxPenalties) {
      this.#penalties.delete(this.#penalties.keys().next().value as string);
    }
    events.push({ type: 'penalty_captured', clientKey: key, peakFriction: peakOf(levels), ttlMs });
  }

  #asCeil(p: Penalty): { ceilLevel: number[]; ceilAt: number[] } {
    const n = this.#spec.config.ceilings.length;
    return { ceilLevel: p.ceilings!, ceilAt: new Array<number>(n).fill(p.capturedAt) };
  }

  #restore(key: string, s: LiveState, t: number, events: FrictionLifecycleEvent[]): void {
    const p = this.#penalties.get(key);
    if (p === undefined) return;
    this.#penalties.delete(key);
    if (p.expiresAt <= t) return;
    const levels = this.#decayed(p, t);
    restoreFrictions(this.#spec.config, s, levels, t);
    s.spent = Math.max(s.spent, p.spent);
    if (p.ceilings !== undefined) {
      const c = this.#asCeil(p);
      s.ceilLevel = c.ceilLevel.slice();
      s.ceilAt = c.ceilAt;
    }
    events.push({ type: 'penalty_restored', clientKey: key, peakFriction: peakOf(levels) });
  }
}

/** A state store owned by its user, with its sweep timer; `close` stops it and drops the states. */
export interface OwnedStateStore {
  readonly states: FrictionStateStore;
  close(): Promise<void>;
}

/**
 * A registry's own in-memory state store (no `store` option): what `new MemoryStore({ now })`
 * bound for it, without the store's value cache — penalties swept every 60 s (unref'd timer),
 * everything dropped by `close`.
 */
export function ownedMemoryStateStore(spec: FrictionStoreSpec, now: Clock): OwnedStateStore {
  const states = new MemoryFrictionStore(spec, DEFAULT_MAX_PENALTIES);
  let timer: NodeJS.Timeout | undefined = setInterval(
    () => states.sweep(now()),
    DEFAULT_SWEEP_INTERVAL_MS,
  );
  timer.unref();
  return {
    states,
    close() {
      clearInterval(timer);
      timer = undefined;
      states.clear();
      return Promise.resolve();
    },
  };
}
