-- bench/disburse.lua — wrk script: disburse approved applications, each
-- request a different one, from one fund account.
--
--   wrk ... -H "Authorization: Bearer TOKEN" -s bench/disburse.lua URL -- LO HI ACCOUNT THREADS
--
-- Thread t (1..THREADS) takes application ids LO+t-1, LO+t-1+THREADS, ...
-- up to HI.  At the end it prints one line
--     DISBURSE moved=N responses=M seconds=S
-- (moved = 200 answers: one ledger movement each).
local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

function init(args)
	lo = assert(tonumber(args[1]), "usage: -- LO HI ACCOUNT THREADS")
	hi = assert(tonumber(args[2]), "usage: -- LO HI ACCOUNT THREADS")
	account = assert(tonumber(args[3]), "usage: -- LO HI ACCOUNT THREADS")
	nthreads = assert(tonumber(args[4]), "usage: -- LO HI ACCOUNT THREADS")
	n = 0
	moved = 0
	responses = 0
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	local id = lo + n * nthreads + (tid - 1)
	n = n + 1
	if id > hi then
		id = hi -- exhausted: a repeat answers 409 and does not count
	end
	return wrk.format("POST", "/api/v1/applications/" .. id .. "/transitions", nil,
		string.format('{"action":"disburse","account_id":%d}', account))
end

function response(status)
	responses = responses + 1
	if status == 200 then
		moved = moved + 1
	end
end

function done(summary, latency, requests)
	local m, r = 0, 0
	for _, t in ipairs(threads) do
		m = m + t:get("moved")
		r = r + t:get("responses")
	end
	io.write(string.format("DISBURSE moved=%d responses=%d seconds=%.3f\n", m, r,
		summary.duration / 1e6))
end
