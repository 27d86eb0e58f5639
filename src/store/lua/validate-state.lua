local function readRest(s, raw, p, no)
  local lastT = s.lastT
  if lastT == -math.huge then s.lastT = nil elseif lastT ~= lastT then error('invalid state') end
  local head, size, floor = s.head, s.size, math.floor
  if not (s.n >= 0 and s.spent >= 0 and head == floor(head) and head >= 0 and head < W
    and size == floor(size) and size >= 0 and size <= W and no == floor(no) and no >= 0
    and no <= W) then
    error('invalid state')
  end
  local e = p + W * RW
  local ring = string.sub(raw, p, e - 1)
  local others, counts = {}, {}
  for j = 1, no do counts[j], others[j], e = struct.unpack('<dI4c0', raw, e) end
  s.ring, s.others, s.otherCounts = ring, others, counts
  if e ~= #raw + 1 or #ring ~= W * RW then error('invalid state') end
  if RW == 1 then
    for i = 1, W, 4000 do
      if math.max(string.byte(ring, i, math.min(W, i + 3999))) > K + no then error('invalid state') end
    end
  else
    for i = 1, W do
      if ringGet(s, i) >= K + no then error('invalid state') end
    end
  end
  local total = 0
  for i = O_COUNTS + 1, O_COUNTS + K do total = total + s[i] end
  for j = 1, no do total = total + counts[j] end
  if total ~= size then error('invalid state') end
end
