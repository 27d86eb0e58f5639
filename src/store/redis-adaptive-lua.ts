/**
 * The Lua body of the `'adaptive'` friction step (see `redis-adaptive-script.ts`, which
 * prepends the prelude and the baked-in configuration). Same order of operations as
 * `src/friction/state.ts` + `src/friction/adaptive-state.ts`, 1-based arrays.
 *
 * @module
 * @internal
 */

import { CEILING_LUA, validateLua } from './redis-lua-guards.js';
import { SATURATION_LUA, TTL_LUA, WINDOW_LUA } from './redis-lua-lib.js';
import { COMMIT_LUA, STATE_IO_LUA } from './redis-state-io-lua.js';

/** The fresh state (the layout of `FrictionState`) and the shared window bookkeeping. */
const STATE_LUA = `
local function fresh()
  local s = {v = 1, n = 0, spent = 0, friction = {}, ema = {}, target = {}, satCount = {},
    satFlag = {}, groupEma = {}, ring = {}, head = 0, size = 0, counts = {}, others = {},
    otherCounts = {}, credit = {}, groupCredit = {}, gate = {}, closedAt = {}, ceilLevel = {},
    ceilAt = {}}
  for i = 1, K do
    s.friction[i] = 0; s.ema[i] = 0; s.target[i] = TARGET[i]
    s.satCount[i] = 0; s.satFlag[i] = 0; s.counts[i] = 0
    s.credit[i] = TBURST[i]; s.gate[i] = 0; s.closedAt[i] = 0
  end
  for g = 1, #GROUPS do s.groupEma[g] = 0; s.groupCredit[g] = GBURST[g] end
  s.ring = string.rep('\\0', W * RW)
  for c = 1, C do s.ceilLevel[c] = 0; s.ceilAt[c] = 0 end
  return s
end

${WINDOW_LUA}
`;

/** Credit, friction, gate and the check. */
const CONTROL_LUA = `${CEILING_LUA}
local function emaDecay(s, t)
  if LAMBDA <= 0 or s.lastT == nil or not (t > s.lastT) then return 1 end
  return fexp((-LAMBDA * (t - s.lastT)) / 1000)
end

local function refillFactor(s, t)
  if LAMBDA <= 0 or s.lastT == nil then return 1 end
  local idle = t - s.lastT - GRACE
  if idle > 0 then return fexp((-LAMBDA * idle) / 1000) end
  return 1
end

local function refilled(c, b, r)
  if r == 1 then return c end
  return b - (b - c) * r
end

local function toolFriction(s, i, r)
  local f = 1 - refilled(s.credit[i], TBURST[i], r) / TBURST[i]
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    if G.weight > 0 and G.has[i] then
      f = math.max(f, 1 - refilled(s.groupCredit[g], GBURST[g], r) / GBURST[g])
    end
  end
  return math.min(1, math.max(0, f))
end

local function reopenCredit(b, h) return (1 - h) * b + math.min(1, (h * b) / 2) end

local function recovered(s, i, r)
  local h = HARD[i]
  if refilled(s.credit[i], TBURST[i], r) < reopenCredit(TBURST[i], h) then return false end
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    if G.weight > 0 and G.has[i] then
      if refilled(s.groupCredit[g], GBURST[g], r) < reopenCredit(GBURST[g], h) then
        return false
      end
    end
  end
  return true
end

local function allowedNow(s, i, t)
  local r = refillFactor(s, t)
  local f = toolFriction(s, i, r)
  local blocked
  if s.gate[i] ~= 1 then
    blocked = f >= HARD[i]
  else
    blocked = t < s.closedAt[i] + MIN_BLOCK or not recovered(s, i, r)
  end
  if blocked then return false end
  if not ((BUDGET - s.spent) >= (MINC[i] + f * (MAXC[i] - MINC[i]))) then return false end
  return ceilOk(s, i, t)
end

${SATURATION_LUA}
local function record(s, name, ti, t, charge, sat)
  if charge and ti ~= nil then chargeCeil(s, ti + 1, t) end
  local r = refillFactor(s, t)
  if r ~= 1 then
    for i = 1, K do s.credit[i] = refilled(s.credit[i], TBURST[i], r) end
    for g = 1, #GROUPS do s.groupCredit[g] = refilled(s.groupCredit[g], GBURST[g], r) end
  end
  local d = emaDecay(s, t)
  if d ~= 1 then for i = 1, K do s.ema[i] = s.ema[i] * d end end
  if charge and ti ~= nil then
    local i = ti + 1
    s.spent = s.spent + (MINC[i] + toolFriction(s, i, 1) * (MAXC[i] - MINC[i]))
  end
  pushWindow(s, name, ti)
  s.n = s.n + 1
  local size = s.size
  for i = 1, K do s.ema[i] = ALPHA * (s.counts[i] / size) + (1 - ALPHA) * s.ema[i] end
  for i = 1, K do
    local cost = 0
    if ti ~= nil and ti + 1 == i then cost = 1 end
    s.credit[i] = math.min(TBURST[i], math.max(0, s.credit[i] + (s.target[i] + TOL) - cost))
  end
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    local cost = 0
    if ti ~= nil and G.has[ti + 1] then cost = 1 end
    s.groupCredit[g] = math.min(GBURST[g],
      math.max(0, s.groupCredit[g] + (G.target + TOL) - cost))
  end
  for i = 1, K do s.friction[i] = toolFriction(s, i, 1) end
  detectSaturation(s, sat)
  if ti ~= nil then s.gate[ti + 1] = 0 end
  for i = 1, K do
    if s.gate[i] == 0 and s.friction[i] >= HARD[i] then
      s.gate[i] = 1
      s.closedAt[i] = t
    end
  end
  if s.lastT == nil or t > s.lastT then s.lastT = t end
end
`;

/** Encoding, TTL, the view and the entry point. */
const MAIN_LUA = `
${TTL_LUA}
local function view(s, name, ti)
  if ti == nil then return {'u', num(rawRate(s, name))} end
  local i = ti + 1
  local lastT = ''
  if s.lastT ~= nil then lastT = num(s.lastT) end
  local out = {'c', num(s.ema[i]), num(s.target[i]), num(s.satFlag[i]), num(s.spent),
    num(s.gate[i]), num(s.closedAt[i]), lastT, num(s.credit[i])}
  for g = 1, #GROUPS do out[#out + 1] = num(s.groupCredit[g]) end
  return out
end

${validateLua(true)}
local key, name, mode = KEYS[1], ARGV[1], ARGV[3]
local t = clampTime(tonumber(ARGV[2]))

${STATE_IO_LUA}
local function step()
  local s, created = loadState(key)
  local ti = INDEX[name]
  local sat = {}
  local allowed = 1
  local v, cv
  if mode == 'check-and-record' then
    v = view(s, name, ti)
    cv = ceilView(s)
    if ti ~= nil and not allowedNow(s, ti + 1, t) then allowed = 0 end
    if allowed == 1 then record(s, name, ti, t, true, sat) end
  else
    record(s, name, ti, t, false, sat)
    v = view(s, name, ti)
    cv = ceilView(s)
  end
  local out = {created, allowed, v[1], #sat, num(t)}
  for j = 1, #cv do out[#out + 1] = cv[j] end
  for j = 2, #v do out[#out + 1] = v[j] end
  appendSaturation(out, s, sat)
  return {s, out}
end
${COMMIT_LUA}`;

/** The whole step body. */
export const ADAPTIVE_STEP_LUA = `${STATE_LUA}${CONTROL_LUA}${MAIN_LUA}`;
