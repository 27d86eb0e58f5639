local ok, s, out = pcall(step)
if not ok then return {'corrupt'} end
if out[2] == 1 or out[1] == 1 then
  redis.call('SET', key, encodeState(s), 'PX', ttlOf(s))
else
  redis.call('PEXPIRE', key, ttlOf(s))
end
return out
