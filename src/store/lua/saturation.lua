local function detectSaturation(s, sat)
  if SAT_W <= 0 then return end
  for i = 1, K do
    local c = 0
    if s.friction[i] >= SAT_T then c = s.satCount[i] + 1 end
    s.satCount[i] = c
    if c >= SAT_W then
      if s.satFlag[i] == 0 then
        s.satFlag[i] = 1
        sat[#sat + 1] = i
      end
      s.target[i] = math.min(s.target[i] + SAT_R, 1)
    end
  end
end
