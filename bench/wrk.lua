-- The wrk script of every scripts/bench case (healthz included, so that all
-- cases carry the same client-side cost). Configured from the environment:
--   BENCH_METHOD         GET (default) or POST
--   BENCH_BODY           the request body (form-encoded)
--   BENCH_AUTHORIZATION  an Authorization header for every request, or
--   BENCH_TARGETS        a file of "<path> <Authorization value>" lines; each
--                        request picks one at random (the spread case)
-- done() prints one machine-readable line:
--   BENCH requests=… ok=… other=… errors=… duration_us=… p50_us=… p99_us=…
-- where other counts answers with a status of 400 or more (wrk's own count,
-- the one it prints as "Non-2xx or 3xx responses"), ok every other answer
-- (none of the servers measured answers 1xx or 3xx, so these are the 200s),
-- errors socket errors and timeouts.
--
-- There is deliberately no response() function: with one, wrk hands every
-- answer's headers and body to Lua, which cost the client about 3 µs more per
-- token request (12 instead of 9 µs of wrk's CPU, bench/README.md).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local authorization = os.getenv("BENCH_AUTHORIZATION")
local targets_file = os.getenv("BENCH_TARGETS")
local form = "application/x-www-form-urlencoded"

wrk.method = method
if body then
  wrk.body = body
  wrk.headers["Content-Type"] = form
end
if authorization then wrk.headers["Authorization"] = authorization end

local targets = nil
function init(args)
  if not targets_file then return end
  targets = {}
  for line in io.lines(targets_file) do
    local path, auth = line:match("^(%S+) (.+)$")
    if path then targets[#targets + 1] = { path, auth } end
  end
  -- Each thread its own sequence.
  math.randomseed(os.time() + tonumber(tostring(targets):match("0x(%x+)") or "0", 16))
end

if targets_file then
  function request()
    local t = targets[math.random(#targets)]
    return wrk.format(method, t[1], { ["Authorization"] = t[2], ["Content-Type"] = form }, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d ok=%d other=%d errors=%d connect=%d read=%d write=%d timeout=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.requests - e.status, e.status, e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
