/**
 * The Redis store's {@link FrictionStateStore}: each step is one `EVALSHA` of the controller's
 * script (`redis-friction-script.ts` for `'proportional'`, `redis-adaptive-script.ts` for
 * `'adaptive'`) on one key, so it is atomic across replicas and never loses an update. Redis
 * does the bookkeeping by key expiry instead of an LRU: a client's state lives `clientTtlMs`
 * after its last call, or `penaltyTtlMs` while it holds a penalty, so there is no eviction (and
 * no penalty capture/restore events) to report. A blocked client's retries keep its state (and
 * its last-call time) alive, so time decay applies on `check` and it recovers.
 *
 * @module
 * @internal
 */

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AuthflowError } from '../errors.js';
import type { ResolvedFrictionConfig } from '../friction/config.js';
import {
  configuredResult,
  type FrictionClientStatus,
  type FrictionResult,
  unconfiguredResult,
} from '../friction/decision.js';
import { withCeilings } from '../friction/state.js';
import { assertState, statusState } from '../friction/state-status.js';
import { adaptiveStepScript, parseAdaptiveReply } from './redis-adaptive-script.js';
import { type LuaScript, luaScript, type RedisCommands } from './redis-commands.js';
import {
  type FrictionScriptTtls,
  proportionalStepScript,
  STATE_READ_SCRIPT,
} from './redis-friction-script.js';
import type {
  FrictionSaturation,
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  FrictionStoreSpec,
} from './types.js';

/**
 * Version of the stored state's layout, part of the fingerprint: a layout change moves states
 * to new keys (those of an older version are never read and expire on their TTL). Layout 2
 * stores the window ring as a byte string (`redis-lua-lib.ts`); layout 3 every number as a
 * double behind a header (`redis-lua-layout.ts`).
 */
const STATE_LAYOUT = 3;

/** Most client keys remembered locally for `size`. */
const MAX_KNOWN_CLIENTS = 10_000;
const NONE: readonly never[] = Object.freeze([]);
const READ = luaScript(STATE_READ_SCRIPT);

/**
 * A short, stable fingerprint of a configuration and of how client keys are derived (part of
 * every state key). It includes the controller kind, the ceilings, the adaptive tuning only
 * for `'adaptive'` (so proportional keys do not change with it), and `keyBy` (two apps keying
 * by client and by subject never share a state).
 */
export function configFingerprint(cfg: ResolvedFrictionConfig, keyBy = 'clientId'): string {
  const {
    toolIndex: _index,
    toolCeilings: _ceil,
    pressureGroups: _pressure,
    groupMember: _member,
    adaptive,
    ...rest
  } = cfg;
  const keyed = cfg.controller === 'adaptive' ? { ...rest, adaptive } : rest;
  const text = JSON.stringify({ ...keyed, keyBy, layout: STATE_LAYOUT });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

interface DecodedStep {
  readonly created: boolean;
  readonly result: FrictionResult;
  readonly saturated: readonly FrictionSaturation[];
}

function stepScript(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): LuaScript {
  const source =
    cfg.controller === 'adaptive' ? adaptiveStepScript(cfg, ttl) : proportionalStepScript(cfg, ttl);
  return luaScript(source);
}

function badReply(): AuthflowError {
  return new AuthflowError('ERR_STORE_UNAVAILABLE', 'Unexpected reply from the Redis script');
}

/** A stored state that fails validation: refused, never replaced (see `assertState`). */
function invalidState(): AuthflowError {
  return new AuthflowError(
    'ERR_FRICTION_STATE_INVALID',
    'The stored friction state is invalid or foreign; refused (delete the key to reset it)',
  );
}

/** The Redis friction binding. @internal */
export class RedisFrictionStore implements FrictionStateStore {
  readonly #cmds: RedisCommands;
  readonly #cfg: ResolvedFrictionConfig;
  readonly #keyBase: string;
  readonly #script: LuaScript;
  readonly #known: LRUCache<string, true>;

  constructor(
    cmds: RedisCommands,
    spec: FrictionStoreSpec,
    keyPrefix: string,
    clientTtlMs: number,
  ) {
    this.#cmds = cmds;
    this.#cfg = spec.config;
    this.#keyBase = `${keyPrefix}friction:${configFingerprint(spec.config, spec.keyBy)}:`;
    this.#script = stepScript(spec.config, {
      clientTtlMs,
      penaltyTtlMs: spec.penaltyTtlMs,
      penaltyMinFriction: spec.penaltyMinFriction,
    });
    this.#known = new LRUCache({
      max: Math.min(spec.maxClients, MAX_KNOWN_CLIENTS),
      ttl: clientTtlMs,
    });
  }

  /** Distinct clients this process stepped within their idle TTL (at most 10 000). */
  get size(): number {
    return this.#known.size;
  }

  /** The Redis key of a client's state. */
  keyOf(clientKey: string): string {
    return this.#keyBase + clientKey;
  }

  async step(
    clientKey: string,
    tool: string,
    nowMs: number,
    mode: FrictionStepMode,
  ): Promise<FrictionStepOutcome> {
    const reply = await this.#cmds.evalScript(
      this.#script,
      [this.keyOf(clientKey)],
      [tool, String(nowMs), mode],
    );
    if (Array.isArray(reply) && reply[0] === 'corrupt') throw invalidState();
    const { created, result, saturated } =
      this.#cfg.controller === 'adaptive'
        ? this.#decodeAdaptive(tool, reply)
        : this.#decodeProportional(tool, reply);
    this.#known.set(clientKey, true);
    const events = created
      ? [{ type: 'created' as const, clientKey, totalClients: this.#known.size }]
      : NONE;
    return { result, saturated, events };
  }

  /** States are stored as exact doubles (`redis-lua-layout.ts`) and read back as JSON by a script. */
  async status(clientKey: string, nowMs: number): Promise<FrictionClientStatus | undefined> {
    const key = this.keyOf(clientKey);
    const raw = await this.#cmds.evalScript(READ, [key], []);
    if (raw === null) return undefined;
    if (typeof raw !== 'string') throw badReply();
    let state: ReturnType<typeof assertState>;
    try {
      state = assertState(this.#cfg, JSON.parse(raw));
    } catch {
      throw invalidState();
    }
    return statusState(this.#cfg, state, nowMs);
  }

  /** Reply: `{created, allowed, time, kind, a, b, c, d, e, ceilLevel…, ceilAt…, sat…}`. */
  #decodeProportional(tool: string, reply: unknown): DecodedStep {
    const head = 9 + 2 * this.#cfg.ceilings.length;
    if (!Array.isArray(reply) || reply.length < head) throw badReply();
    const result = this.#result(tool, reply, head);
    const saturated = reply.length > head ? this.#saturated(reply.slice(head)) : NONE;
    return { created: reply[0] === 1, result, saturated };
  }

  #decodeAdaptive(tool: string, reply: unknown): DecodedStep {
    try {
      return parseAdaptiveReply(this.#cfg, tool, reply);
    } catch {
      throw badReply();
    }
  }

  #result(tool: string, r: readonly unknown[], head: number): FrictionResult {
    const cfg = this.#cfg;
    if (r[3] === 'u') return unconfiguredResult(tool, Number(r[4]));
    const i = cfg.toolIndex.get(tool);
    if (i === undefined) throw badReply();
    const result = configuredResult(cfg.tools[i]!, {
      friction: Number(r[4]),
      ema: Number(r[5]),
      effectiveTarget: Number(r[6]),
      saturated: r[7] === '1',
      budgetRemaining: cfg.defaultBudget - Number(r[8]),
      decayPerMs: cfg.timeDecayRate / 1000,
    });
    if (!result.allowed) return result;
    const ceil = r.slice(9, head).map(Number);
    const n = cfg.ceilings.length;
    const view = { ceilLevel: ceil.slice(0, n), ceilAt: ceil.slice(n) };
    return withCeilings(cfg, view, i, Number(r[2]), result);
  }

  #saturated(rest: readonly unknown[]): FrictionSaturation[] {
    const out: FrictionSaturation[] = [];
    for (let j = 0; j + 2 < rest.length; j += 3) {
      const tool = this.#cfg.tools[Number(rest[j])];
      if (tool === undefined) throw badReply();
      out.push({
        toolName: tool.name,
        friction: Number(rest[j + 1]),
        targetRate: tool.targetRate,
        effectiveTarget: Number(rest[j + 2]),
      });
    }
    return out;
  }
}
