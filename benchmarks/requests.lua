-- wrk script: one request per line of a file ("METHOD PATH"), in order, each sent once.
-- Arguments (after wrk's --): FILE [LIMIT] [BODY]
--   LIMIT > 0: stop once LIMIT requests have been answered (each line used once; wrk's duration
--   is then only a cap). Between the last one sent and the stop, idle connections send fillers
--   (DELETE on the first line's path, answered 405 by a server that declares only POST there),
--   counted apart;
--   LIMIT 0: cycle over the file until wrk's duration ends.
-- done() prints one line "BENCH {json}" with the answered count, the status counts, the elapsed
-- time from the first request to the last counted answer, and the latency percentiles.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } timespec_t;
int clock_gettime(int clock, timespec_t *tp);
int kill(int pid, int sig);
int getpid(void);
]]
local ts = ffi.new("timespec_t")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

local lines, limit, body = {}, 0, nil
local stopping = false
local verified = false
-- globals, so that done() can read them with thread:get()
sent, answered, ok, other, fillers = 0, 0, 0, 0, 0
first_us, last_us = 0, 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path = line:match("^(%S+)%s+(%S+)$")
    if method then table.insert(lines, {method, path}) end
  end
  limit = tonumber(args[2] or "0")
  body = args[3]
  if body == "" then body = nil end
end

function request()
  -- wrk calls request() once on the first thread to verify the script before the run and does
  -- not send that request: answer it without using up a line.
  if not verified then
    verified = true
    return wrk.format(lines[1][1], lines[1][2], nil, body)
  end
  if first_us == 0 then first_us = now_us() end
  if limit > 0 and sent >= limit then
    return wrk.format("DELETE", lines[1][2])
  end
  local line = lines[(sent % #lines) + 1]
  sent = sent + 1
  return wrk.format(line[1], line[2], nil, line[1] == "POST" and body or nil)
end

function response(status, _headers, _body)
  if limit > 0 and status == 405 then
    fillers = fillers + 1
  else
    answered = answered + 1
    last_us = now_us()
    if status == 200 then ok = ok + 1 else other = other + 1 end
  end
  if limit > 0 and answered >= limit and not stopping then
    stopping = true
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2)  -- SIGINT: wrk stops sleeping out its duration and reports now
  end
end

function done(summary, latency, requests)
  local t = threads[1]
  io.write(string.format(
    'BENCH {"answered": %d, "ok": %d, "other": %d, "fillers": %d, "sent": %d, "elapsed_us": %d, ' ..
    '"responses": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d}\n',
    t:get("answered"), t:get("ok"), t:get("other"), t:get("fillers"), t:get("sent"),
    t:get("last_us") - t:get("first_us"), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
