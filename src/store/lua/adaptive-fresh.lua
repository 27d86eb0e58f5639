local function fresh()
  local s = {}
  for i = 1, NF do s[i] = 0 end
  for i = 1, K do s[O_TARGET + i] = TOOLC[T_TARGET + i]; s[O_CREDIT + i] = TBURST[i] end
  for g = 1, NG do s[O_GROUPCREDIT + g] = GBURST[g] end
  s.v, s.n, s.spent, s.head, s.size = 1, 0, 0, 0, 0
  s.others, s.otherCounts = {}, {}
  s.ring = string.rep('\0', W * RW)
  return s
end
