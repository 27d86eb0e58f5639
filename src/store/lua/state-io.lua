local function packOthers(s)
  local others, counts = s.others, s.otherCounts
  local no = #others
  if no == 1 then return struct.pack('<dI4c0', counts[1], #others[1], others[1]) end
  local parts = {}
  for j = 1, no do
    local name = others[j]
    parts[j] = struct.pack('<dI4c0', counts[j], #name, name)
  end
  return table.concat(parts)
end

local function appendSaturation(out, s, sat)
  for j = 1, #sat do
    local i = sat[j]
    out[#out + 1] = i - 1
    out[#out + 1] = num(s[O_FRICTION + i])
    out[#out + 1] = num(s[O_TARGET + i])
  end
end
