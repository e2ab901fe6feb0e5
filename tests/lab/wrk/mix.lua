-- wrk script for `lab load`: the lab's traffic mix through a gateway.
--   ~80%  GET  /api/reviews?course=<1..20>             (cache-aside read: Redis, then MariaDB on a miss)
--   ~20%  POST /api/coupons/<1..10>/issue?user=<random> (Redis check + stock decrement + stream append)
-- Users are random over a wide range so nearly every issue is a first one (201), not a duplicate (409).
-- done() prints one "lab-wrk:" line that the lab script turns into its machine-readable summary.
-- Script arguments (after `--`): RATE CONNECTIONS. wrk cannot throttle, but its delay() hook makes a connection
-- wait before each request; waiting CONNECTIONS/RATE seconds on average gives about RATE requests per second in
-- all (a little less: the latency adds to each connection's interval; `lab load` reports what it achieved).

local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
end

function init(args)
   -- each wrk thread has its own Lua state: seed each differently
   math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
   local rate, connections = tonumber(args[1]), tonumber(args[2])
   if rate and connections then
      local mean_ms = connections * 1000 / rate
      -- uniform in [0.5, 1.5] x the mean: connections drift apart instead of firing in lockstep bursts.
      -- Defined only with a rate: wrk checks for delay() after init() and skips it when there is none.
      delay = function()
         return mean_ms * (0.5 + math.random())
      end
   end
end

function request()
   if math.random() < 0.8 then
      return wrk.format("GET", "/api/reviews?course=" .. math.random(1, 20))
   end
   local path = string.format("/api/coupons/%d/issue?user=u%d-%d", math.random(1, 10), thread_id or 0,
                              math.random(1, 2000000000))
   return wrk.format("POST", path)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("lab-wrk: requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d "
                          .. "p50_us=%d p95_us=%d p99_us=%d\n",
                          summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
                          latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
