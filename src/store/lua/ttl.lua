local function ttlOf(s)
  local ttl = CLIENT_TTL
  if PENALTY_TTL > ttl then
    local limited = BUDGET < math.huge and s.spent > 0
    for i = 1, K do
      if s[O_FRICTION + i] >= PENALTY_MIN and s[O_FRICTION + i] > 0 then limited = true end
    end
    if limited then ttl = PENALTY_TTL end
  end
  if CEIL_MAXWIN > ttl then
    for c = 1, C do
      if s[O_CEILLEVEL + c] > 0 then return CEIL_MAXWIN end
    end
  end
  return ttl
end
