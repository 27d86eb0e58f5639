local function numArr(a, n)
  if type(a) ~= 'table' or #a ~= n then return false end
  for i = 1, n do
    local x = a[i]
    if type(x) ~= 'number' or x ~= x then return false end
  end
  return true
end

local function isIndex(x, size)
  return type(x) == 'number' and x == math.floor(x) and x >= 0 and x < size
end

local function validState(s)
  if type(s) ~= 'table' or s.v ~= 1 then return false end
  if type(s.n) ~= 'number' or not (s.n >= 0) then return false end
  if type(s.spent) ~= 'number' or not (s.spent >= 0) then return false end
  if s.lastT ~= nil and type(s.lastT) ~= 'number' then return false end
  if not (numArr(s.friction, K) and numArr(s.ema, K) and numArr(s.target, K)
    and numArr(s.satCount, K) and numArr(s.satFlag, K) and numArr(s.counts, K)
    and numArr(s.groupEma, NG) and numArr(s.ceilLevel, C) and numArr(s.ceilAt, C)) then
    return false
  end
  local others = s.others
  if type(others) ~= 'table' then return false end
  local no = #others
  for j = 1, no do if type(others[j]) ~= 'string' then return false end end
  if not numArr(s.otherCounts, no) then return false end
  if type(s.ring) ~= 'string' or #s.ring ~= W * RW then return false end
  if not (isIndex(s.head, W) and isIndex(s.size, W + 1)) then return false end
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
  for i = 1, K do total = total + s.counts[i] end
  for j = 1, no do total = total + s.otherCounts[j] end
  if total ~= s.size then return false end--[[adaptive checks]]
  return true
end
