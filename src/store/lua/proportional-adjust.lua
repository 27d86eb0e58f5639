local function adjustTools(s, warm)
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
