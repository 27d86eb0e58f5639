local function detectSaturation(s, sat)
  if SAT_W <= 0 then return end
  for i = 1, K do
    local c = 0
    if s[O_FRICTION + i] >= SAT_T then c = s[O_SATCOUNT + i] + 1 end
    s[O_SATCOUNT + i] = c
    if c >= SAT_W then
      if s[O_SATFLAG + i] == 0 then
        s[O_SATFLAG + i] = 1
        sat[#sat + 1] = i
      end
      s[O_TARGET + i] = math.min(s[O_TARGET + i] + SAT_R, 1)
    end
  end
end
