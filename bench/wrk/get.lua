-- get.lua: one GET request over and over (the URL given to wrk), with the bearer token
-- from $HANDEN_TOKEN and the Accept-Encoding header from $ACCEPT_ENCODING when set; at
-- the end prints one line for bench/bench-http.sh:
--   RESULT requests_per_s=R p50_ms=A p99_ms=B requests=N non2xx=M errors=E
local token = os.getenv("HANDEN_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local coding = os.getenv("ACCEPT_ENCODING")
if coding ~= nil and coding ~= "" then
  wrk.headers["Accept-Encoding"] = coding
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests_per_s=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
