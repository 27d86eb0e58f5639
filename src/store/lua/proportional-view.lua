-- The view a check sees: {kind, a, b, c, d, e} (see redis-friction.ts).
local function view(s, name, ti, d)
  if ti == nil then return {'u', num(rawRate(s, name)), '0', '0', '0', '0'} end
  local i = ti + 1
  return {'c', num(s.friction[i] * d), num(s.ema[i] * d), num(s.target[i]),
    num(s.satFlag[i]), num(s.spent)}
end
