local function ringGet(s, i)
  if RW == 1 then return string.byte(s.ring, i) - 1 end
  local a, b = string.byte(s.ring, 2 * i - 1, 2 * i)
  return a * 256 + b - 1
end

local function ringSet(s, i, v)
  local c
  if RW == 1 then c = string.char(v + 1) else c = string.char(math.floor((v + 1) / 256), (v + 1) % 256) end
  s.ring = string.sub(s.ring, 1, (i - 1) * RW) .. c .. string.sub(s.ring, i * RW + 1)
end

local function otherSlot(s, name)
  for j = 1, #s.others do if s.others[j] == name then return j end end
  return nil
end

local function rawRate(s, name)
  if s.size == 0 then return 0 end
  local j = otherSlot(s, name)
  if j == nil then return 0 end
  return s.otherCounts[j] / s.size
end

local function pushWindow(s, name, ti)
  if s.size == W then
    local old = ringGet(s, s.head + 1)
    if old < K then
      s[O_COUNTS + old + 1] = s[O_COUNTS + old + 1] - 1
    else
      local j = old - K + 1
      s.otherCounts[j] = s.otherCounts[j] - 1
      if s.otherCounts[j] == 0 then s.others[j] = '' end
    end
  else
    s.size = s.size + 1
  end
  local slot = ti
  if ti ~= nil then
    s[O_COUNTS + ti + 1] = s[O_COUNTS + ti + 1] + 1
  else
    local j = otherSlot(s, name)
    if j == nil then
      j = otherSlot(s, '')
      if j == nil then
        j = #s.others + 1
        s.others[j] = name
        s.otherCounts[j] = 0
      else
        s.others[j] = name
      end
    end
    s.otherCounts[j] = s.otherCounts[j] + 1
    slot = K + j - 1
  end
  ringSet(s, s.head + 1, slot)
  s.head = (s.head + 1) % W
end
