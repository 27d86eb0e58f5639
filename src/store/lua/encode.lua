local RW = 1
local function numArray(a)
  local p = {}
  for i = 1, #a do p[i] = string.format('%.17g', a[i]) end
  return '[' .. table.concat(p, ',') .. ']'
end
local function ringArray(r)
  local a = {}
  for i = 1, #r / RW do
    if RW == 1 then a[i] = string.byte(r, i) - 1
    else a[i] = string.byte(r, 2 * i - 1) * 256 + string.byte(r, 2 * i) - 1 end
  end
  return a
end
local function encode(s)
  local others = {}
  for j = 1, #s.others do others[j] = cjson.encode(s.others[j]) end
  local lastT = 'null'
  if s.lastT ~= nil then lastT = num(s.lastT) end
  return '{"v":1,"n":' .. num(s.n) .. ',"lastT":' .. lastT .. ',"spent":' .. num(s.spent)
    .. ',"friction":' .. numArray(s.friction) .. ',"ema":' .. numArray(s.ema)
    .. ',"target":' .. numArray(s.target) .. ',"satCount":' .. numArray(s.satCount)
    .. ',"satFlag":' .. numArray(s.satFlag) .. ',"groupEma":' .. numArray(s.groupEma)
    .. ',"ring":' .. numArray(ringArray(s.ring)) .. ',"head":' .. num(s.head) .. ',"size":' .. num(s.size)
    .. ',"counts":' .. numArray(s.counts) .. ',"others":[' .. table.concat(others, ',')
    .. '],"otherCounts":' .. numArray(s.otherCounts) .. ',"ceilLevel":' .. numArray(s.ceilLevel)
    .. ',"ceilAt":' .. numArray(s.ceilAt)--[[extra fields]] .. '}'
end
