local function fresh()
  local s = {v = 1, n = 0, spent = 0, friction = {}, ema = {}, target = {}, satCount = {},
    satFlag = {}, groupEma = {}, ring = {}, head = 0, size = 0, counts = {}, others = {},
    otherCounts = {}, ceilLevel = {}, ceilAt = {}}
  for i = 1, K do
    s.friction[i] = 0; s.ema[i] = 0; s.target[i] = TARGET[i]
    s.satCount[i] = 0; s.satFlag[i] = 0; s.counts[i] = 0
  end
  for g = 1, #GROUPS do s.groupEma[g] = 0 end
  for c = 1, C do s.ceilLevel[c] = 0; s.ceilAt[c] = 0 end
  s.ring = string.rep('\0', W * RW)
  return s
end

local function decay(s, t)
  if LAMBDA <= 0 or s.lastT == nil or not (t > s.lastT) then return 1 end
  return fexp((-LAMBDA * (t - s.lastT)) / 1000)
end
