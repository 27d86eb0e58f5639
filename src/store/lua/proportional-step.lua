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
      local f = s[O_FRICTION + i] * d
      local cost = TOOLC[T_MINC + i] + f * (TOOLC[T_MAXC + i] - TOOLC[T_MINC + i])
      if f >= TOOLC[T_HARD + i] or not ((BUDGET - s.spent) >= cost) then allowed = 0
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
  return s, out
end
