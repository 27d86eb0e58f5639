local function isIndex(x, size)
  return x == math.floor(x) and x >= 0 and x < size
end

local function validScalars(s, no)
  if not (s.n >= 0 and s.spent >= 0) then return false end
  return isIndex(s.head, W) and isIndex(s.size, W + 1) and isIndex(no, W + 1)
end

local function validWindow(s)
  if #s.ring ~= W * RW then return false end
  local no = #s.others
  if RW == 1 then
    for i = 1, W, 4000 do
      if math.max(string.byte(s.ring, i, math.min(W, i + 3999))) > K + no then return false end
    end
  else
    for i = 1, W do
      if ringGet(s, i) >= K + no then return false end
    end
  end
  local total = 0
  for i = 1, K do total = total + s[O_COUNTS + i] end
  for j = 1, no do total = total + s.otherCounts[j] end
  return total == s.size
end
