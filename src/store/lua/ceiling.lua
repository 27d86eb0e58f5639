local function drained(c, x, at, t)
  local e = 0
  if t > at then e = t - at end
  local v = x - (e * CEIL_LIM[c]) / CEIL_WIN[c]
  if v > 0 then return v end
  return 0
end

local function ceilOk(s, i, t)
  local list = TOOL_CEILS[i]
  for j = 1, #list do
    local c = list[j]
    if not (drained(c, s[O_CEILLEVEL + c], s[O_CEILAT + c], t) + 1 <= CEIL_LIM[c]) then return false end
  end
  return true
end

local function chargeCeil(s, i, t)
  local list = TOOL_CEILS[i]
  for j = 1, #list do
    local c = list[j]
    s[O_CEILLEVEL + c] = drained(c, s[O_CEILLEVEL + c], s[O_CEILAT + c], t) + 1
    if t > s[O_CEILAT + c] then s[O_CEILAT + c] = t end
  end
end

local function ceilView(s)
  if C == 0 then return NOC end
  local out = {}
  for c = 1, C do out[c] = num(s[O_CEILLEVEL + c]); out[C + c] = num(s[O_CEILAT + c]) end
  return out
end

local function clampTime(t)
  local now = redis.call('TIME')
  local limit = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + SKEW
  if t > limit then return limit end
  return t
end
