local raw = redis.call('GET', KEYS[1])
if not raw then return false end
return encode(cmsgpack.unpack(raw))
