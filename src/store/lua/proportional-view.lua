-- The view a check sees: {kind, a, b, c, d, e} (see redis-friction.ts).
local function view(s, name, ti, d)
  if ti == nil then return {'u', num(rawRate(s, name)), '0', '0', '0', '0'} end
  local i = ti + 1
  return {'c', num(s[O_FRICTION + i] * d), num(s[O_EMA + i] * d), num(s[O_TARGET + i]),
    num(s[O_SATFLAG + i]), num(s.spent)}
end
