-- wrk script: POST /v1/events with EVENTS_PER_REQUEST events per request, each with a unique id.
-- About 10% are orders ("Placed Order"), the rest product views that no policy converts on.
local users = tonumber(os.getenv("USERS") or "100000")
local per_request = tonumber(os.getenv("EVENTS_PER_REQUEST") or "100")
local counter = 0
local prefix

function init(args)
  local entropy = tonumber(tostring({}):match("0x(%x+)") or "1", 16) % 1000000007
  math.randomseed(os.time() + entropy)
  prefix = string.format("b%d", math.random(1, 2000000000))
end

function request()
  local parts = {}
  for i = 1, per_request do
    counter = counter + 1
    local name = (math.random() < 0.1) and "Placed Order" or "Viewed Product"
    -- Half the user ids are enrolled (u1..uUSERS), half are not.
    parts[i] = string.format('{"id":"%s-%d","userId":"u%d","name":"%s"}',
      prefix, counter, math.random(1, users * 2), name)
  end
  return wrk.format("POST", "/v1/events", { ["Content-Type"] = "application/json",
                                            ["Authorization"] = "Bearer " .. os.getenv("WRITE_KEY") },
    '{"events":[' .. table.concat(parts, ",") .. ']}')
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read
    - summary.errors.write - summary.errors.timeout
  io.write(string.format("requests/s: %.0f  events/s: %.0f  non-2xx or socket errors: %d  p50: %.1f ms  p99: %.1f ms\n",
    ok / seconds, ok * per_request / seconds,
    summary.requests - ok, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
