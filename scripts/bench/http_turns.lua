-- wrk script for scripts/bench/http: full conversation turns over HTTP.
--
--   wrk -s scripts/bench/http_turns.lua http://127.0.0.1:PORT -- SESSIONS_FILE [MEAN_DELAY_MS [RUN]]
--
-- Each request POSTs one message to /v1/sessions/{id}/messages, going round
-- the session ids in SESSIONS_FILE (one a line) and through the varied,
-- realistic texts of turn_texts.txt; each thread starts at its own offset, so
-- connections rarely wait on the same session. Every message carries a
-- fresh client_message_id, as the widget sends one: the server checks it
-- before answering, which is part of the real cost of a turn. RUN (default:
-- the time) goes into every id, so that no run replays an earlier run's
-- ids: a replay is answered from the idempotency record, far cheaper than
-- a turn, and would flatter the figures.
--
-- MEAN_DELAY_MS > 0 paces the connections: after each response a
-- connection waits a random think time, uniform in [0, 2 * MEAN_DELAY_MS]
-- ms, so N connections offer about N * 1000 / MEAN_DELAY_MS requests a
-- second (a little less: each request's own latency adds to its cycle).
-- wrk measures latency from sending to the response, without the wait.
--
-- At the end it prints "turns: 200=N ..." with the count of each status,
-- so the bench can check that every turn was answered 200, and
-- "latency_us: p50=N p99=N p999=N" (wrk's own --latency table stops at 99%).

-- The texts, one a line, from turn_texts.txt next to this script (the
-- growth benchmark sends the same ones).
local texts = {}
do
  local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
  for line in io.lines(here .. "turn_texts.txt") do
    if line ~= "" then table.insert(texts, line) end
  end
  assert(#texts > 0, "http_turns.lua: no texts in " .. here .. "turn_texts.txt")
end

local sessions = {}
local counter = 0
local next_session = 1
local next_text = 1
local mean_delay = 0
local run = ""
-- Globals: wrk's setup() sets thread_id, done() reads statuses.
statuses = {}

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  if path == nil then
    error("http_turns.lua: pass the sessions file after --")
  end
  for line in io.lines(path) do
    if line ~= "" then table.insert(sessions, line) end
  end
  if #sessions == 0 then
    error("http_turns.lua: no session ids in " .. path)
  end
  mean_delay = tonumber(args[2] or "0") or 0
  run = args[3] or tostring(os.time())
  -- Spread the threads over the sessions and texts.
  local tid = thread_id or 1
  next_session = ((tid - 1) * 37) % #sessions + 1
  next_text = ((tid - 1) * 7) % #texts + 1
  math.randomseed(1000 + tid)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local sid = sessions[next_session]
  next_session = next_session % #sessions + 1
  -- Move through the texts at a different step than the sessions, so one
  -- session does not always get the same message.
  local text = texts[next_text]
  next_text = (next_text + 2) % #texts + 1
  counter = counter + 1
  local body = string.format('{"text":"%s","client_message_id":"bench-%s-%d-%d"}',
                             text, run, thread_id or 0, counter)
  return wrk.format(nil, "/v1/sessions/" .. sid .. "/messages", nil, body)
end

function delay()
  if mean_delay <= 0 then return 0 end
  return math.random(0, 2 * mean_delay)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      total[code] = (total[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(total) do
    table.insert(parts, code .. "=" .. n)
  end
  table.sort(parts)
  io.write("turns: " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("latency_us: p50=%d p99=%d p999=%d\n", latency:percentile(50),
                         latency:percentile(99), latency:percentile(99.9)))
end
