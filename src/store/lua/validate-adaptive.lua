  if not (numArr(s.credit, K) and numArr(s.gate, K) and numArr(s.closedAt, K)
    and numArr(s.groupCredit, NG)) then return false end
