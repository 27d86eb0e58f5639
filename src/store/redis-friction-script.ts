/**
 * The Lua script of one friction step for the proportional controller (DESIGN §3.5), generated
 * per configuration: the tuning, the tools and the groups are baked in as constants, so a call
 * sends only the tool name, the time and the mode. It runs exactly the math of
 * `src/friction/state.ts` over exactly its `FrictionState` layout, so the memory store and Redis
 * give bit-identical frictions. The state is stored with `cmsgpack` (exact doubles; 4–5× faster
 * to decode and encode than JSON in Redis Lua, see BENCHMARKS.md); the read script returns it as
 * `FrictionState` JSON with round-trip-exact numbers (`%.17g`).
 *
 * A second controller gets its own script module beside this one.
 *
 * @module
 * @internal
 */

import type { ResolvedFrictionConfig } from '../friction/config.js';
import { CEILING_LUA, guardConfigLua, validateLua } from './redis-lua-guards.js';
import {
  encodeLua,
  type FrictionScriptTtls,
  LUA_PRELUDE,
  luaNumber,
  luaNumbers,
  SATURATION_LUA,
  sharedConfigLua,
  TTL_LUA,
  WINDOW_LUA,
} from './redis-lua-lib.js';
import { COMMIT_LUA, STATE_IO_LUA } from './redis-state-io-lua.js';

export type { FrictionScriptTtls } from './redis-lua-lib.js';

function configLua(cfg: ResolvedFrictionConfig, ttl: FrictionScriptTtls): string {
  const groups = cfg.groups
    .map(
      (g) =>
        `{members=${luaNumbers(g.members.map((m) => m + 1))},size=${luaNumber(g.size)},` +
        `target=${luaNumber(g.aggregateTarget)},weight=${luaNumber(g.pressureWeight)}}`,
    )
    .join(',');
  return `${sharedConfigLua(cfg, ttl)}${guardConfigLua(cfg)}local KAPPA = ${luaNumber(cfg.adjustmentRate)}
local BETA = ${luaNumber(cfg.asymmetricDecay)}
local DEADZONE = ${luaNumber(cfg.deadZone)}
local WARMUP = ${luaNumber(cfg.warmupCalls)}
local GROUPS = {${groups}}
`;
}

/** The controller step: same order of operations as `state.ts`, 1-based arrays. */
const STEP_LUA = `
local function fresh()
  local s = {v = 1, n = 0, spent = 0, friction = {}, ema = {}, target = {}, satCount = {},
    satFlag = {}, groupEma = {}, ring = {}, head = 0, size = 0, counts = {}, others = {},
    otherCounts = {}, ceilLevel = {}, ceilAt = {}}
  for i = 1, K do
    s.friction[i] = 0; s.ema[i] = 0; s.target[i] = TARGET[i]
    s.satCount[i] = 0; s.satFlag[i] = 0; s.counts[i] = 0
  end
  for g = 1, #GROUPS do s.groupEma[g] = 0 end
  for c = 1, C do s.ceilLevel[c] = 0; s.ceilAt[c] = 0 end
  s.ring = string.rep('\\0', W * RW)
  return s
end

local function decay(s, t)
  if LAMBDA <= 0 or s.lastT == nil or not (t > s.lastT) then return 1 end
  return fexp((-LAMBDA * (t - s.lastT)) / 1000)
end

${WINDOW_LUA}local function adjustTools(s, warm)
  local size = s.size
  for i = 1, K do
    local e = ALPHA * (s.counts[i] / size) + (1 - ALPHA) * s.ema[i]
    s.ema[i] = e
    if warm then
      local err = e - s.target[i]
      if not (math.abs(err) < DEADZONE) then
        local delta = KAPPA * err
        if delta < 0 then delta = delta * BETA end
        s.friction[i] = math.min(1, math.max(0, s.friction[i] + delta))
      end
    end
  end
end

${SATURATION_LUA}
local function applyGroupPressure(s)
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    local agg = 0
    for m = 1, #G.members do agg = agg + s.ema[G.members[m]] end
    local ge = ALPHA * agg + (1 - ALPHA) * s.groupEma[g]
    s.groupEma[g] = ge
    local err = ge - G.target
    if err > DEADZONE then
      for m = 1, #G.members do
        local i = G.members[m]
        local share
        if agg > 0 then share = s.ema[i] / agg else share = 1 / G.size end
        local f = s.friction[i] + KAPPA * err * share * G.weight
        s.friction[i] = math.min(1, math.max(0, f))
      end
    end
  end
end

${CEILING_LUA}
local function record(s, name, ti, t, d, charge, sat)
  if charge and ti ~= nil then chargeCeil(s, ti + 1, t) end
  if d ~= 1 then
    for i = 1, K do
      s.friction[i] = s.friction[i] * d
      s.ema[i] = s.ema[i] * d
    end
  end
  if charge and ti ~= nil then
    local i = ti + 1
    s.spent = s.spent + (MINC[i] + s.friction[i] * (MAXC[i] - MINC[i]))
  end
  pushWindow(s, name, ti)
  s.n = s.n + 1
  local warm = s.n >= WARMUP
  adjustTools(s, warm)
  if warm then
    detectSaturation(s, sat)
    applyGroupPressure(s)
  end
  if s.lastT == nil or t > s.lastT then s.lastT = t end
end

${TTL_LUA}${validateLua(false)}
-- The view a check sees: {kind, a, b, c, d, e} (see redis-friction.ts).
local function view(s, name, ti, d)
  if ti == nil then return {'u', num(rawRate(s, name)), '0', '0', '0', '0'} end
  local i = ti + 1
  return {'c', num(s.friction[i] * d), num(s.ema[i] * d), num(s.target[i]),
    num(s.satFlag[i]), num(s.spent)}
end

local key, name, mode = KEYS[1], ARGV[1], ARGV[3]
local t = clampTime(tonumber(ARGV[2]))

${STATE_IO_LUA}
local function step()
  local s, created = loadState(key)
  local ti = INDEX[name]
  local d = decay(s, t)
  local sat = {}
  local allowed = 1
  local v, cv
  if mode == 'check-and-record' then
    v = view(s, name, ti, d)
    cv = ceilView(s)
    if ti ~= nil then
      local i = ti + 1
      local f = s.friction[i] * d
      local cost = MINC[i] + f * (MAXC[i] - MINC[i])
      if f >= HARD[i] or not ((BUDGET - s.spent) >= cost) then allowed = 0
      elseif not ceilOk(s, i, t) then allowed = 0 end
    end
    if allowed == 1 then record(s, name, ti, t, d, true, sat) end
  else
    record(s, name, ti, t, d, false, sat)
    v = view(s, name, ti, decay(s, t))
    cv = ceilView(s)
  end
  local out = {created, allowed, num(t), v[1], v[2], v[3], v[4], v[5], v[6]}
  for j = 1, #cv do out[#out + 1] = cv[j] end
  appendSaturation(out, s, sat)
  return {s, out}
end
${COMMIT_LUA}`;

/**
 * The proportional controller's step script for `cfg`. KEYS[1] = the client's state key;
 * ARGV = tool name, time (epoch ms; bounded by Redis `TIME` + `CLOCK_TOLERANCE_MS`), mode
 * (`check-and-record` | `record`). Reply: `{created, allowed, time used, kind, a, b, c, d, e,
 * ceilLevel…, ceilAt…}` then saturation triples, or `{'corrupt'}` for a state that fails
 * validation (left as it is).
 */
export function proportionalStepScript(
  cfg: ResolvedFrictionConfig,
  ttl: FrictionScriptTtls,
): string {
  return `${LUA_PRELUDE}${configLua(cfg, ttl)}${STEP_LUA}`;
}

/** The adaptive controller's fields, when the state has them. */
const ADAPTIVE_FIELDS_LUA = `
    .. (s.credit and (',"credit":' .. numArray(s.credit) .. ',"groupCredit":'
      .. numArray(s.groupCredit) .. ',"gate":' .. numArray(s.gate) .. ',"closedAt":'
      .. numArray(s.closedAt)) or '')`;

/**
 * Reads a state of either controller (KEYS[1]; ARGV[1] = its ring width, see `ringWidth`,
 * default 1) as `FrictionState` JSON, or nil when absent.
 */
export const STATE_READ_SCRIPT = `${LUA_PRELUDE}${encodeLua(ADAPTIVE_FIELDS_LUA)}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
return encode(cmsgpack.unpack(raw))
`;
