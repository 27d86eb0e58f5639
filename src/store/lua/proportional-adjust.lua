local function adjustTools(s, warm)
  local size, keep = s.size, 1 - ALPHA
  for i = 1, K do
    local e = ALPHA * (s[O_COUNTS + i] / size) + keep * s[O_EMA + i]
    s[O_EMA + i] = e
    if warm then
      local err = e - s[O_TARGET + i]
      if not (err < DEADZONE and -err < DEADZONE) then
        local delta = KAPPA * err
        if delta < 0 then delta = delta * BETA end
        local f = s[O_FRICTION + i] + delta
        if not (f > 0) then f = 0 end
        if not (f < 1) then f = 1 end
        s[O_FRICTION + i] = f
      end
    end
  end
end
