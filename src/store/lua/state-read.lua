local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local k, ng, c, w, rw, kind, p = string.match(raw, '^FR3:(%d+):(%d+):(%d+):(%d+):(%d+):([ap]);()')
if not p then return cjson.encode({v = 0}) end
k, ng, c, w, RW = tonumber(k), tonumber(ng), tonumber(c), tonumber(w), tonumber(rw)
local function take(n)
  local a = {}
  for i = 1, n do a[i], p = struct.unpack('<d', raw, p) end
  return a
end
local h = take(6)
local s = {n = h[1], spent = h[2], head = h[4], size = h[5], others = {}, otherCounts = {}}
if h[3] ~= -math.huge then s.lastT = h[3] end
local names = {'friction', 'ema', 'target', 'satCount', 'satFlag', 'counts', 'groupEma',
  'ceilLevel', 'ceilAt', 'credit', 'gate', 'closedAt', 'groupCredit'}
local lens = {k, k, k, k, k, k, ng, c, c, k, k, k, ng}
local last = 9
if kind == 'a' then last = 13 end
for f = 1, last do s[names[f]] = take(lens[f]) end
s.ring = string.sub(raw, p, p + w * RW - 1)
p = p + w * RW
for j = 1, h[6] do s.otherCounts[j], s.others[j], p = struct.unpack('<dI4c0', raw, p) end
return encode(s)
