local function view(s, name, ti)
  if ti == nil then return {'u', num(rawRate(s, name))} end
  local i = ti + 1
  local lastT = ''
  if s.lastT ~= nil then lastT = num(s.lastT) end
  local out = {'c', num(s.ema[i]), num(s.target[i]), num(s.satFlag[i]), num(s.spent),
    num(s.gate[i]), num(s.closedAt[i]), lastT, num(s.credit[i])}
  for g = 1, #GROUPS do out[#out + 1] = num(s.groupCredit[g]) end
  return out
end
