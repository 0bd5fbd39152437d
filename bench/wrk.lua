-- The wrk script of every scripts/bench case (healthz included, so that all
-- cases carry the same client-side cost). Configured from the environment:
--   BENCH_METHOD         GET (default) or POST
--   BENCH_BODY           the request body (form-encoded)
--   BENCH_AUTHORIZATION  an Authorization header for every request, or
--   BENCH_TARGETS        a file of "<path> <Authorization value>" lines; each
--                        request picks one at random (the spread case)
--   BENCH_BODIES         a file of request bodies, one per line; each thread
--                        (BENCH_THREADS of them, 2 by default) sends its share
--                        of the lines in order, each once while they last
--                        (private_key_jwt: one assertion per request); a
--                        line "<proof><TAB><body>" sends <proof> in a DPoP
--                        header (bench/dpop: one proof per request)
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
local bodies_file = os.getenv("BENCH_BODIES")
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")
local form = "application/x-www-form-urlencoded"

wrk.method = method
if body then
  wrk.body = body
  wrk.headers["Content-Type"] = form
end
if authorization then wrk.headers["Authorization"] = authorization end

local targets = nil
local bodies, sent = nil, 0
local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  if bodies_file then
    bodies = {}
    local i = 0
    for line in io.lines(bodies_file) do
      if i % thread_count == thread_index then bodies[#bodies + 1] = line end
      i = i + 1
    end
  end
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

if bodies_file then
  function request()
    sent = sent + 1
    -- Past the last line it starts over: those are replays, answered 401
    -- and counted as "other" (the run is sized not to get there).
    local line = bodies[(sent - 1) % #bodies + 1]
    local headers = { ["Content-Type"] = form }
    local proof, rest = line:match("^([^\t]*)\t(.*)$")
    if proof then
      line = rest
      if proof ~= "" then headers["DPoP"] = proof end
    end
    return wrk.format(method, nil, headers, line)
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
