local FDL_A = 0.34657359123229980 -- ldexp(1 + 0x62E43 / 2^20, -2)
local FDL_B = 1.0397205352783203 -- 1 + 0x0A2B2 / 2^20
local FDL_C = 3.7252902984619141e-9 -- ldexp(1, -28)
local FDL_D = 709.78222656250000 -- ldexp(1 + 0x62E42 / 2^20, 9)
local function fexp(x)
  if x ~= x then return x end
  local ax = math.abs(x)
  if ax >= FDL_D then
    if x == math.huge then return x end
    if x == -math.huge then return 0.0 end
    if x > 7.09782712893383973096e+02 then return math.huge end
    if x < -7.45133219101941108420e+02 then return 0.0 end
  end
  local hi, lo, k = 0.0, 0.0, 0
  if ax >= FDL_A then
    if ax < FDL_B then
      if x == 1.0 then return 2.718281828459045 end
      if x >= 0 then
        hi = x - 6.93147180369123816490e-01; lo = 1.90821492927058770002e-10; k = 1
      else
        hi = x + 6.93147180369123816490e-01; lo = -1.90821492927058770002e-10; k = -1
      end
    else
      local v = 1.44269504088896338700e+00 * x + (x >= 0 and 0.5 or -0.5)
      if v >= 0 then k = math.floor(v) else k = math.ceil(v) end
      hi = x - k * 6.93147180369123816490e-01
      lo = k * 1.90821492927058770002e-10
    end
    x = hi - lo
  elseif ax < FDL_C then
    return 1.0 + x
  end
  local t = x * x
  local c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03
    + t * (6.61375632143793436117e-05 + t * (-1.65339022054652515390e-06
    + t * 4.13813679705723846039e-08))))
  if k == 0 then return 1.0 - ((x * c) / (c - 2.0) - x) end
  local y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
  if k >= -1021 then
    if k == 1024 then return y * 2.0 * 8.988465674311579539e307 end
    return y * math.ldexp(1, k)
  end
  return y * math.ldexp(1, k + 1000) * 9.33263618503218878990e-302
end
local function num(x) return string.format('%.17g', x) end
