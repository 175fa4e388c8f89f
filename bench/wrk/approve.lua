-- approve.lua: POST /v1/proposals/{id}/approve for every id of a file, each id once,
-- the ids shared out over wrk's threads (id i goes to thread i mod threads).  Usage:
--   HANDEN_TOKEN=hnd_... wrk -t 2 ... -s approve.lua http://127.0.0.1:PORT -- IDS_FILE 2
-- A thread that has sent all its ids stops; the few requests still needed to keep its
-- connections busy until then are GET /v1/health, not counted as approvals.  At the
-- end prints one line for bench/bench-http.sh:
--   RESULT requests_per_s=R p50_ms=A p99_ms=B approved=N conflict=M other=K
local token = os.getenv("HANDEN_TOKEN")
local threads = {}
local next_index = 0

function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  ids, position, approved, conflict, other = {}, 0, 0, 0, 0
  local line_number = 0
  for line in io.lines(file) do
    if line ~= "" then
      if line_number % count == index then
        table.insert(ids, line)
      end
      line_number = line_number + 1
    end
  end
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
end

function request()
  position = position + 1
  local id = ids[position]
  if id == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/v1/health")
  end
  return wrk.format("POST", "/v1/proposals/" .. id .. "/approve", headers, "{}")
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    if string.find(body, '"status":"approved"', 1, true) then
      approved = approved + 1
    end
  elseif status == 409 then
    conflict = conflict + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, c, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("approved")
    c = c + thread:get("conflict")
    o = o + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests_per_s=%.1f p50_ms=%.3f p99_ms=%.3f approved=%d conflict=%d other=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    a, c, o))
end
