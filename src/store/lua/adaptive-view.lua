local function view(s, name, ti)
  if ti == nil then return {'u', num(rawRate(s, name))} end
  local i = ti + 1
  local lastT = ''
  if s.lastT ~= nil then lastT = num(s.lastT) end
  local out = {'c', num(s[O_EMA + i]), num(s[O_TARGET + i]), num(s[O_SATFLAG + i]), num(s.spent),
    num(s[O_GATE + i]), num(s[O_CLOSEDAT + i]), lastT, num(s[O_CREDIT + i])}
  for g = 1, #GROUPS do out[#out + 1] = num(s[O_GROUPCREDIT + g]) end
  return out
end
