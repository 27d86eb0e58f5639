/**
 * The Lua script of one friction step for the `'adaptive'` controller, beside the proportional
 * one (`redis-friction-script.ts`), with the same KEYS/ARGV and the same storage: the
 * {@link FrictionState} in the binary layout of `redis-lua-layout.ts` (exact doubles) including
 * the adaptive fields, read back as JSON by the shared read script. It runs the decision and the
 * record of `src/friction/adaptive/state.ts` operation for operation (only `exp`, through the
 * bit-identical `fexp`), and replies with the raw inputs of the check so that the result
 * (including the `retryAfterMs`, which needs a logarithm) is built by the very same TypeScript
 * as in the memory store: {@link parseAdaptiveReply}.
 *
 * Chosen for the `'adaptive'` algorithm by the table in `redis-algorithms.ts`, with
 * {@link parseAdaptiveReply}.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import { unconfiguredResult } from '../friction/decision.js';
import { checkState, type FrictionState } from '../friction/state.js';
import { adaptiveStepLua } from './redis-adaptive-lua.js';
import { foldConstants } from './redis-lua-constants.js';
import { guardConfigLua } from './redis-lua-guards.js';
import { layoutLocalsLua } from './redis-lua-layout.js';
import {
  type FrictionScriptTtls,
  LUA_PRELUDE,
  luaNumber,
  luaNumbers,
  sharedConfigLua,
} from './redis-lua-lib.js';
import { parseSaturations, type RedisStepReply } from './redis-step-reply.js';

function configLua(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): string {
  const a = cfg.adaptive;
  const groups = cfg.groups
    .map((g) => {
      const has = g.members.map((m) => `[${m + 1}]=true`).join(',');
      return `{has={${has}},target=${luaNumber(g.aggregateTarget)},weight=${luaNumber(g.pressureWeight)}}`;
    })
    .join(',');
  return `${sharedConfigLua(cfg, ttl)}${guardConfigLua(cfg)}${layoutLocalsLua(cfg, true)}local TOL = ${luaNumber(a.tolerance)}
local MIN_BLOCK = ${luaNumber(a.minBlockMs)}
local GRACE = ${luaNumber(a.idleGraceMs)}
local TBURST = ${luaNumbers(a.toolBurst)}
local GBURST = ${luaNumbers(a.groupBurst)}
local GROUPS = {${groups}}
`;
}

/**
 * The adaptive controller's step script for `cfg`. KEYS[1] = the client's state key;
 * ARGV = tool name, time (epoch ms; bounded by Redis `TIME` + `CLOCK_TOLERANCE_MS`), mode
 * (`check-and-record` | `record`). Reply: `{created, allowed, 'u', nSat, time used, ceilLevel…,
 * ceilAt…, rawRate}` for an unconfigured tool, else `{created, allowed, 'c', nSat, time used,
 * ceilLevel…, ceilAt…, ema, target, satFlag, spent, gate, closedAt, lastT | '', credit,
 * groupCredit…}`, followed by `nSat` triples `(toolIndex, friction, effectiveTarget)`; or
 * `{'corrupt'}` for a state that fails validation (left as it is). `fold` false leaves the
 * constants as locals (for tests).
 */
export function adaptiveStepScript(
  cfg: ResolvedFrictionConfig,
  ttl: FrictionScriptTtls,
  fold = true,
): string {
  const source = `${LUA_PRELUDE}${configLua(cfg, ttl)}${adaptiveStepLua(cfg)}`;
  return fold ? foldConstants(source) : source;
}

function bad(): Error {
  return new TypeError('Unexpected reply from the adaptive friction script');
}

/** Rebuilds the part of the state the check reads, for tool `i`, from the reply fields. */
function viewState(
  cfg: ResolvedFrictionConfig,
  i: number,
  f: readonly number[],
  ceil: readonly number[],
): FrictionState {
  const k = cfg.tools.length;
  const at = (v: number) => {
    const arr = new Array<number>(k).fill(0);
    arr[i] = v;
    return arr;
  };
  const [ema, target, satFlag, spent, gate, closedAt, lastT, credit, ...groupCredit] = f;
  return {
    v: 1,
    n: 0,
    lastT: Number.isNaN(lastT!) ? null : lastT!,
    spent: spent!,
    friction: at(0),
    ema: at(ema!),
    target: at(target!),
    satCount: at(0),
    satFlag: at(satFlag!),
    groupEma: [],
    ring: [],
    head: 0,
    size: 0,
    counts: at(0),
    others: [],
    otherCounts: [],
    credit: at(credit!),
    groupCredit,
    gate: at(gate!),
    closedAt: at(closedAt!),
    ceilLevel: ceil.slice(0, cfg.ceilings.length),
    ceilAt: ceil.slice(cfg.ceilings.length),
  };
}

/**
 * Turns a reply of {@link adaptiveStepScript} into the step's result, with the same code as the
 * memory store (`checkState`, at the time the script used), so both stores give identical
 * results.
 *
 * @param cfg - The configuration the script was generated for (`controller: 'adaptive'`).
 * @param tool - The tool of the step.
 * @param reply - The raw script reply (not `{'corrupt'}`).
 * @throws TypeError when the reply does not have the expected shape.
 */
export function parseAdaptiveReply(
  cfg: ResolvedFrictionConfig,
  tool: string,
  reply: unknown,
): RedisStepReply {
  if (!Array.isArray(reply) || reply.length < 6) throw bad();
  const created = reply[0] === 1;
  const nSat = Number(reply[3]);
  const t = Number(reply[4]);
  const i = cfg.toolIndex.get(tool);
  const nCeil = 2 * cfg.ceilings.length;
  const nFields = reply[2] === 'u' ? 1 : 8 + cfg.groups.length;
  const kindOk = reply[2] === 'u' ? i === undefined : reply[2] === 'c' && i !== undefined;
  const start = 5 + nCeil;
  if (!kindOk || reply.length !== start + nFields + 3 * nSat) throw bad();
  const ceil = reply.slice(5, start).map(Number);
  const fields = reply
    .slice(start, start + nFields)
    .map((x) => (x === '' ? Number.NaN : Number(x)));
  const result =
    i === undefined
      ? unconfiguredResult(tool, fields[0]!)
      : checkState(cfg, viewState(cfg, i, fields, ceil), tool, t);
  const saturated = parseSaturations(cfg, reply, start + nFields, bad);
  return { created, result, saturated };
}
