local function record(s, name, ti, t, charge, sat)
  if charge and ti ~= nil then chargeCeil(s, ti + 1, t) end
  local r = refillFactor(s, t)
  if r ~= 1 then
    for i = 1, K do s[O_CREDIT + i] = refilled(s[O_CREDIT + i], TBURST[i], r) end
    for g = 1, #GROUPS do s[O_GROUPCREDIT + g] = refilled(s[O_GROUPCREDIT + g], GBURST[g], r) end
  end
  local d = emaDecay(s, t)
  if d ~= 1 then for i = 1, K do s[O_EMA + i] = s[O_EMA + i] * d end end
  if charge and ti ~= nil then
    local i = ti + 1
    s.spent = s.spent + (MINC[i] + toolFriction(s, i, 1) * (MAXC[i] - MINC[i]))
  end
  pushWindow(s, name, ti)
  s.n = s.n + 1
  local size = s.size
  for i = 1, K do s[O_EMA + i] = ALPHA * (s[O_COUNTS + i] / size) + (1 - ALPHA) * s[O_EMA + i] end
  for i = 1, K do
    local cost = 0
    if ti ~= nil and ti + 1 == i then cost = 1 end
    s[O_CREDIT + i] = math.min(TBURST[i], math.max(0, s[O_CREDIT + i] + (s[O_TARGET + i] + TOL) - cost))
  end
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    local cost = 0
    if ti ~= nil and G.has[ti + 1] then cost = 1 end
    s[O_GROUPCREDIT + g] = math.min(GBURST[g],
      math.max(0, s[O_GROUPCREDIT + g] + (G.target + TOL) - cost))
  end
  for i = 1, K do s[O_FRICTION + i] = toolFriction(s, i, 1) end
  detectSaturation(s, sat)
  if ti ~= nil then s[O_GATE + ti + 1] = 0 end
  for i = 1, K do
    if s[O_GATE + i] == 0 and s[O_FRICTION + i] >= HARD[i] then
      s[O_GATE + i] = 1
      s[O_CLOSEDAT + i] = t
    end
  end
  if s.lastT == nil or t > s.lastT then s.lastT = t end
end
