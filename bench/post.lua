-- wrk script for bench/run.sh: POST /api/items with one JSON item, the
-- way the kiosk page sends it, and count every answer that is not 201.
--
-- At the end prints one line for run.sh to read:
--   BENCH requests=N non201=N errors=N rps=N p50_ms=N p99_ms=N
-- requests counts complete answers; requests - non201 is the number of
-- items the server acknowledged.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"The library should open on Saturdays so that' ..
	' families can come too","role":"student","lang":"en"}'

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	non201 = 0
end

function response(status, headers, body)
	if status ~= 201 then
		non201 = non201 + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + t:get("non201")
	end
	local e = summary.errors
	local errors = e.connect + e.read + e.write + e.timeout
	local secs = summary.duration / 1e6
	io.write(string.format(
		"BENCH requests=%d non201=%d errors=%d rps=%.0f" ..
		" p50_ms=%.2f p99_ms=%.2f\n",
		summary.requests, bad, errors, summary.requests / secs,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
