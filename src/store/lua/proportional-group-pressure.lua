local function applyGroupPressure(s)
  for g = 1, #GROUPS do
    local G = GROUPS[g]
    local agg = 0
    for m = 1, #G.members do agg = agg + s[O_EMA + G.members[m]] end
    local ge = ALPHA * agg + (1 - ALPHA) * s[O_GROUPEMA + g]
    s[O_GROUPEMA + g] = ge
    local err = ge - G.target
    if err > DEADZONE then
      for m = 1, #G.members do
        local i = G.members[m]
        local share
        if agg > 0 then share = s[O_EMA + i] / agg else share = 1 / G.size end
        local f = s[O_FRICTION + i] + KAPPA * err * share * G.weight
        s[O_FRICTION + i] = math.min(1, math.max(0, f))
      end
    end
  end
end
