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

function maxInto(into: number[] | undefined, from: readonly number[] | undefined) {
  if (into === undefined || from === undefined) return into ?? from?.slice();
  for (let i = 0; i < into.length; i++) into[i] = Math.max(into[i]!, from[i]!);
  return into;
}

/** The in-process {@link FrictionStateStore}. @internal */
export class MemoryFrictionStore implements FrictionStateStore {
  readonly #spec: FrictionStoreSpec;
  readonly #maxPenalties: number;
  readonly #states = new Map<string, LiveState>();
  readonly #penalties = new Map<string, Penalty>();
  #mru: string | undefined;
  /** Tools first saturated during the current step (a step is synchronous). */
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

  /** Number of kept penalties. */
  get penaltyCount(): number {
    return this.#penalties.size;
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
    const cfg = this.#spec.config;
    let events: FrictionLifecycleEvent[] | undefined;
    let s = this.#states.get(clientKey);
    if (s === undefined) {
      events = [];
      s = this.#create(clientKey, t, events);
    } else if (this.#mru !== clientKey) {
      this.#states.delete(clientKey);
      this.#states.set(clientKey, s);
    }
    this.#mru = clientKey;
    this.#saturated = undefined;
    let result: FrictionResult;
    if (mode === 'check-and-record') {
      result = checkAndRecordState(cfg, s, tool, t, this.#onSaturation);
    } else {
      recordState(cfg, s, tool, t, false, this.#onSaturation);
      result = checkState(cfg, s, tool, t);
    }
    const sat = this.#saturated as number[] | undefined;
    const state = s;
    const saturated = sat?.map((i) => ({
      toolName: cfg.tools[i]!.name,
      friction: state.friction[i]!,
      targetRate: cfg.tools[i]!.targetRate,
      effectiveTarget: state.target[i]!,
    }));
    return { result, saturated: saturated ?? NONE, events: events ?? NONE };
  }

  status(clientKey: string, nowMs: number): Promise<FrictionClientStatus | undefined> {
    const s = this.#states.get(clientKey);
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
    this.#mru = undefined;
  }

  #create(clientKey: string, t: number, events: FrictionLifecycleEvent[]): LiveState {
    while (this.#states.size >= this.#spec.maxClients) {
      const [oldest, state] = this.#states.entries().next().value as [string, LiveState];
      this.#states.delete(oldest);
      this.#capture(oldest, state, t, events);
      events.push({ type: 'evicted', clientKey: oldest, totalClients: this.#states.size });
    }
    const s = createState(this.#spec.config);
    this.#restore(clientKey, s, t, events);
    this.#states.set(clientKey, s);
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
    let spent = Number.isFinite(config.defaultBudget) ? s.spent : 0;
    let ceilings = ceilingLevels(config.ceilings, s, t);
    if (Object.keys(levels).length === 0 && spent === 0 && ceilings === undefined) return;
    const existing = this.#penalties.get(key);
    if (existing !== undefined) {
      for (const [tool, f] of Object.entries(this.#decayed(existing, t))) {
        levels[tool] = Math.max(levels[tool] ?? 0, f);
      }
      spent = Math.max(spent, existing.spent);
      const old = existing.ceilings && ceilingLevels(config.ceilings, this.#asCeil(existing), t);
      ceilings = maxInto(ceilings, old);
      this.#penalties.delete(key);
    }
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
