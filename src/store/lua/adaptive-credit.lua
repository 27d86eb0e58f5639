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
  local f = 1 - refilled(s[O_CREDIT + i], TBURST[i], r) / TBURST[i]
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    if G.weight > 0 and G.has[i] then
      f = math.max(f, 1 - refilled(s[O_GROUPCREDIT + g], GBURST[g], r) / GBURST[g])
    end
  end
  return math.min(1, math.max(0, f))
end

local function reopenCredit(b, h) return (1 - h) * b + math.min(1, (h * b) / 2) end

local function recovered(s, i, r)
  local h = TOOLC[T_HARD + i]
  if refilled(s[O_CREDIT + i], TBURST[i], r) < reopenCredit(TBURST[i], h) then return false end
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    if G.weight > 0 and G.has[i] then
      if refilled(s[O_GROUPCREDIT + g], GBURST[g], r) < reopenCredit(GBURST[g], h) then
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
  if s[O_GATE + i] ~= 1 then
    blocked = f >= TOOLC[T_HARD + i]
  else
    blocked = t < s[O_CLOSEDAT + i] + MIN_BLOCK or not recovered(s, i, r)
  end
  if blocked then return false end
  if not ((BUDGET - s.spent) >= (TOOLC[T_MINC + i] + f * (TOOLC[T_MAXC + i] - TOOLC[T_MINC + i]))) then return false end
  return ceilOk(s, i, t)
end
