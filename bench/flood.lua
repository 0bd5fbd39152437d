-- wrk script: a flood of token requests to tenant `acme` with made-up
-- client ids, each new (also across runs), so every one is a cache miss
-- and a database lookup. Prints how many answers had each status and the
-- latency percentiles. See docs/security.md, "Bounded work and brute force".
--
--   wrk -t2 -c1500 -d10s --timeout 10s -s bench/flood.lua http://127.0.0.1:8080
local counter = 0
run = os.time()
s401, s429, s503, sother = 0, 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = string.format(
    "grant_type=client_credentials&client_id=cl_flood%d%02d%012d&client_secret=wrong-secret-0123456789",
    run, id, counter)
  return wrk.format("POST", "/t/acme/oauth/token",
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status == 401 then s401 = s401 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 503 then s503 = s503 + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t = {s401 = 0, s429 = 0, s503 = 0, sother = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + thread:get(name) end
  end
  io.write(string.format("401: %d, 429: %d, 503: %d, other: %d\n", t.s401, t.s429, t.s503, t.sother))
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
