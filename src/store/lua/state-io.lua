local function loadState(key)
  local raw = redis.call('GET', key)
  if not raw then return fresh(), 1 end
  local s = cmsgpack.unpack(raw)
  if not validState(s) then error('invalid state') end
  return s, 0
end

local function appendSaturation(out, s, sat)
  for j = 1, #sat do
    local i = sat[j]
    out[#out + 1] = i - 1
    out[#out + 1] = num(s.friction[i])
    out[#out + 1] = num(s.target[i])
  end
end
