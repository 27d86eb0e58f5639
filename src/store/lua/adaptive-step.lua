local function step()
  local s, created = loadState(key)
  local ti = INDEX[name]
  local sat = {}
  local allowed = 1
  local v, cv
  if mode == 'check-and-record' then
    v = view(s, name, ti)
    cv = ceilView(s)
    if ti ~= nil and not allowedNow(s, ti + 1, t) then allowed = 0 end
    if allowed == 1 then record(s, name, ti, t, true, sat) end
  else
    record(s, name, ti, t, false, sat)
    v = view(s, name, ti)
    cv = ceilView(s)
  end
  local out = {created, allowed, v[1], #sat, num(t)}
  for j = 1, #cv do out[#out + 1] = cv[j] end
  for j = 2, #v do out[#out + 1] = v[j] end
  appendSaturation(out, s, sat)
  return s, out
end
