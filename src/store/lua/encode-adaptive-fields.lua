    .. (s.credit and (',"credit":' .. numArray(s.credit) .. ',"groupCredit":'
      .. numArray(s.groupCredit) .. ',"gate":' .. numArray(s.gate) .. ',"closedAt":'
      .. numArray(s.closedAt)) or '')
