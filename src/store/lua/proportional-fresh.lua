local function fresh()
  local s = {}
  for i = 1, NF do s[i] = 0 end
  for i = 1, K do s[O_TARGET + i] = TOOLC[T_TARGET + i] end
  s.v, s.n, s.spent, s.head, s.size = 1, 0, 0, 0, 0
  s.others, s.otherCounts = {}, {}
  s.ring = string.rep('\0', W * RW)
  return s
end

local function decay(s, t)
  if LAMBDA <= 0 or s.lastT == nil or not (t > s.lastT) then return 1 end
  return fexp((-LAMBDA * (t - s.lastT)) / 1000)
end
