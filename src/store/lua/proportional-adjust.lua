local function adjustTools(s, warm)
  local size = s.size
  for i = 1, K do
    local e = ALPHA * (s[O_COUNTS + i] / size) + (1 - ALPHA) * s[O_EMA + i]
    s[O_EMA + i] = e
    if warm then
      local err = e - s[O_TARGET + i]
      if not (math.abs(err) < DEADZONE) then
        local delta = KAPPA * err
        if delta < 0 then delta = delta * BETA end
        s[O_FRICTION + i] = math.min(1, math.max(0, s[O_FRICTION + i] + delta))
      end
    end
  end
end
