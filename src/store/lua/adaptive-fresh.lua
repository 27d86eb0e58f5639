local function fresh()
  local s = {v = 1, n = 0, spent = 0, friction = {}, ema = {}, target = {}, satCount = {},
    satFlag = {}, groupEma = {}, ring = {}, head = 0, size = 0, counts = {}, others = {},
    otherCounts = {}, credit = {}, groupCredit = {}, gate = {}, closedAt = {}, ceilLevel = {},
    ceilAt = {}}
  for i = 1, K do
    s.friction[i] = 0; s.ema[i] = 0; s.target[i] = TARGET[i]
    s.satCount[i] = 0; s.satFlag[i] = 0; s.counts[i] = 0
    s.credit[i] = TBURST[i]; s.gate[i] = 0; s.closedAt[i] = 0
  end
  for g = 1, #GROUPS do s.groupEma[g] = 0; s.groupCredit[g] = GBURST[g] end
  s.ring = string.rep('\0', W * RW)
  for c = 1, C do s.ceilLevel[c] = 0; s.ceilAt[c] = 0 end
  return s
end
