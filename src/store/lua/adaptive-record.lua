local function record(s, name, ti, t, charge, sat)
  if charge and ti ~= nil then chargeCeil(s, ti + 1, t) end
  local r = refillFactor(s, t)
  if r ~= 1 then
    for i = 1, K do s[O_CREDIT + i] = refilled(s[O_CREDIT + i], TBURST[i], r) end
    for g = 1, NG do s[O_GROUPCREDIT + g] = refilled(s[O_GROUPCREDIT + g], GBURST[g], r) end
  end
  local d = emaDecay(s, t)
  if d ~= 1 then for i = O_EMA + 1, O_EMA + K do s[i] = s[i] * d end end
  if charge and ti ~= nil then
    local i = ti + 1
    s.spent = s.spent + (TOOLC[T_MINC + i] + toolFriction(s, i, 1) * (TOOLC[T_MAXC + i] - TOOLC[T_MINC + i]))
  end
  pushWindow(s, name, ti)
  s.n = s.n + 1
  local size, keep, charged = s.size, 1 - ALPHA, -1
  if ti ~= nil then charged = ti + 1 end
  for i = 1, K do
    local e = O_EMA + i
    s[e] = ALPHA * (s[O_COUNTS + i] / size) + keep * s[e]
    local cost = 0
    if i == charged then cost = 1 end
    local c, b = s[O_CREDIT + i] + (s[O_TARGET + i] + TOL) - cost, TBURST[i]
    if not (c > 0) then c = 0 end
    if c < b then s[O_CREDIT + i] = c else s[O_CREDIT + i] = b end
  end
  for g = 1, NG do
    local G = GROUPS[g]
    local cost = 0
    if ti ~= nil and G.has[charged] then cost = 1 end
    local c, b = s[O_GROUPCREDIT + g] + (G.target + TOL) - cost, GBURST[g]
    if not (c > 0) then c = 0 end
    if c < b then s[O_GROUPCREDIT + g] = c else s[O_GROUPCREDIT + g] = b end
  end
  if ti ~= nil then s[O_GATE + charged] = 0 end
  for i = 1, K do
    local f = 1 - s[O_CREDIT + i] / TBURST[i]
    for g = 1, NG do
      local G = GROUPS[g]
      if G.weight > 0 and G.has[i] then
        local x = 1 - s[O_GROUPCREDIT + g] / GBURST[g]
        if x > f then f = x end
      end
    end
    if not (f > 0) then f = 0 end
    if not (f < 1) then f = 1 end
    s[O_FRICTION + i] = f
    if s[O_GATE + i] == 0 and f >= TOOLC[T_HARD + i] then
      s[O_GATE + i] = 1
      s[O_CLOSEDAT + i] = t
    end
  end
  detectSaturation(s, sat)
  if s.lastT == nil or t > s.lastT then s.lastT = t end
end
