local function ttlOf(s)
  local ttl = CLIENT_TTL
  if PENALTY_TTL > ttl then
    local limited = BUDGET < math.huge and s.spent > 0
    for i = 1, K do
      if s.friction[i] >= PENALTY_MIN and s.friction[i] > 0 then limited = true end
    end
    if limited then ttl = PENALTY_TTL end
  end
  if CEIL_MAXWIN > ttl then
    for c = 1, C do
      if s.ceilLevel[c] > 0 then return CEIL_MAXWIN end
    end
  end
  return ttl
end
