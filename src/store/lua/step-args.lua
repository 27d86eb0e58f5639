local key, name, mode = KEYS[1], ARGV[1], ARGV[3]
local t = clampTime(tonumber(ARGV[2]))
