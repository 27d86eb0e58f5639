/**
 * The Redis store's {@link FrictionStateStore}: each step is one `EVALSHA` of the algorithm's
 * step script (chosen in `redis-algorithms.ts`) on one key, so it is atomic across replicas and never loses an update. Redis
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
import type { FrictionClientStatus } from '../friction/decision.js';
import { assertState, statusState } from '../friction/state-status.js';
import { type RedisAlgorithmStep, type RedisStepReply, redisStepOf } from './redis-algorithms.js';
import { type LuaScript, luaScript, type RedisCommands } from './redis-commands.js';
import { STATE_READ_SCRIPT } from './redis-friction-script.js';
import type {
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
 * every state key). It includes the controller kind, the ceilings, what the algorithm adds
 * (the adaptive tuning for `'adaptive'`, nothing for `'proportional'`, so proportional keys do
 * not change with it), and `keyBy` (two apps keying
 * by client and by subject never share a state).
 */
export function configFingerprint(cfg: ResolvedFrictionConfig, keyBy = 'clientId'): string {
  const {
    toolIndex: _index,
    toolCeilings: _ceil,
    pressureGroups: _pressure,
    groupMember: _member,
    algorithm,
    adaptive: _adaptive,
    ...rest
  } = cfg;
  const keyed = { ...rest, ...algorithm.fingerprint(cfg) };
  const text = JSON.stringify({ ...keyed, keyBy, layout: STATE_LAYOUT });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
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
  readonly #algorithm: RedisAlgorithmStep;
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
    this.#algorithm = redisStepOf(spec.config);
    this.#script = luaScript(
      this.#algorithm.script(spec.config, {
        clientTtlMs,
        penaltyTtlMs: spec.penaltyTtlMs,
        penaltyMinFriction: spec.penaltyMinFriction,
      }),
    );
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
    const { created, result, saturated } = this.#decode(tool, reply);
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

  #decode(tool: string, reply: unknown): RedisStepReply {
    try {
      return this.#algorithm.parse(this.#cfg, tool, reply);
    } catch {
      throw badReply();
    }
  }
}
