local function record(s, name, ti, t, d, charge, sat)
  if charge and ti ~= nil then chargeCeil(s, ti + 1, t) end
  if d ~= 1 then
    for i = 1, K do
      s[O_FRICTION + i] = s[O_FRICTION + i] * d
      s[O_EMA + i] = s[O_EMA + i] * d
    end
  end
  if charge and ti ~= nil then
    local i = ti + 1
    s.spent = s.spent + (TOOLC[T_MINC + i] + s[O_FRICTION + i] * (TOOLC[T_MAXC + i] - TOOLC[T_MINC + i]))
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
