-- wrk script for scripts/bench/http: the same latency line as
-- http_turns.lua, for plain GET runs such as /healthz.
--
--   wrk -s scripts/bench/http_latency.lua http://127.0.0.1:PORT/healthz
--
-- Prints "latency_us: p50=N p99=N p999=N" at the end: wrk's own --latency
-- table stops at 99%, and the benchmark reports 99.9%.

function done(summary, latency, requests)
  io.write(string.format("latency_us: p50=%d p99=%d p999=%d\n", latency:percentile(50),
                         latency:percentile(99), latency:percentile(99.9)))
end
