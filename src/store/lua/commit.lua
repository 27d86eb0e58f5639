local ok, res = pcall(step)
if not ok then return {'corrupt'} end
local s, out = res[1], res[2]
if out[2] == 1 or out[1] == 1 then
  redis.call('SET', key, encodeState(s), 'PX', ttlOf(s))
else
  redis.call('PEXPIRE', key, ttlOf(s))
end
return out
