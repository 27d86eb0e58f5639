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
        if not (f > 0) then f = 0 end
        if not (f < 1) then f = 1 end
        s[O_FRICTION + i] = f
      end
    end
  end
end
